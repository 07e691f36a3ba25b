"""A host for browsers: the artifact in a web page, threads on Web Workers.

`page_settings` reads what the page needs from the module, `publish_site` /
`write_site` write the page as static files (with the npm libraries from
`install_libraries`), and `PageServer` serves them with the cross-origin
isolation headers.
"""

from wasmpack_mt.web.libraries import install_libraries
from wasmpack_mt.web.server import PageServer, resolve_request
from wasmpack_mt.web.settings import GuestFile, PageSettings, page_settings, parse_guest_file
from wasmpack_mt.web.site import HEADERS, check_output_dir, publish_site, write_site

__all__ = [
    "HEADERS",
    "GuestFile",
    "PageServer",
    "PageSettings",
    "check_output_dir",
    "install_libraries",
    "page_settings",
    "parse_guest_file",
    "publish_site",
    "resolve_request",
    "write_site",
]

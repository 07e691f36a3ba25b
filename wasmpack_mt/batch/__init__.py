"""Stage 6: run one module over many inputs, on this machine or on a Dask cluster.

A `Task` is one invocation (argv, env, stdin bytes, files in a preopened
directory); `run_task` runs it and returns a `TaskResult` (exit code, stdout,
stderr, the files it wrote). `run_local` runs many tasks on threads of this
process; `wasmpack_mt.batch.dask` runs them on a Dask cluster (optional extra
`distributed`, imported only there). `FolderBatch` maps an input folder to an
output folder for `wasmpack batch`.
"""

from wasmpack_mt.batch.folder import FolderBatch
from wasmpack_mt.batch.local import run_local
from wasmpack_mt.batch.task import WORKDIR, Task, TaskResult, run_task

__all__ = ["WORKDIR", "FolderBatch", "Task", "TaskResult", "run_local", "run_task"]

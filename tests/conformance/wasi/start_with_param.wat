;; `_start` taking a parameter is refused up front (exit 7) instead of hanging.
  (func (export "_start") (param i32))

;; Importing one function twice with different types cannot be linked: the
;; host refuses the module up front (exit 7), it does not crash.
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write_wrong (param i64) (result i32)))
  (func (export "_start")
    (drop (call $fd_write_wrong (i64.const 0))))

;; A module may import one function twice (AssemblyScript does): both copies work.
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write_again (param i32 i32 i32 i32) (result i32)))
  (data (i32.const 4096) "ok\n")
  (func (export "_start")
    (call $expect (call $write (i32.const 1) (i32.const 3)) (i32.const 0) (i32.const 10))
    (call $expect (call $fd_write_again (i32.const 1) (i32.const 256) (i32.const 1)
      (i32.const 264)) (i32.const 0) (i32.const 11)))

;; A module with its own memory run without --env sees an empty environment.
  (import "wasi_snapshot_preview1" "environ_sizes_get"
    (func $environ_sizes_get (param i32 i32) (result i32)))
  (func (export "_start")
    (call $expect (call $environ_sizes_get (i32.const 256) (i32.const 260)) (i32.const 0)
      (i32.const 10))
    (call $expect (i32.load (i32.const 256)) (i32.const 0) (i32.const 11))
    (call $expect (i32.load (i32.const 260)) (i32.const 0) (i32.const 12)))

;; A module with its own (non-shared) memory sees exactly the environment it
;; was given: two variables, their sizes and their strings.
  (import "wasi_snapshot_preview1" "environ_sizes_get"
    (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (func (export "_start")
    (call $expect (call $environ_sizes_get (i32.const 256) (i32.const 260)) (i32.const 0)
      (i32.const 10))
    (call $expect (i32.load (i32.const 256)) (i32.const 2) (i32.const 11))
    ;; "A=one\0" "B=two words\0"
    (call $expect (i32.load (i32.const 260)) (i32.const 18) (i32.const 12))
    (call $expect (call $environ_get (i32.const 512) (i32.const 4096)) (i32.const 0)
      (i32.const 13))
    (call $expect (i32.load (i32.const 512)) (i32.const 4096) (i32.const 14))
    (call $expect (i32.load (i32.const 516)) (i32.const 4102) (i32.const 15))
    ;; print both strings (with their NULs) for the spec's stdout
    (call $expect (call $write (i32.const 1) (i32.const 18)) (i32.const 0) (i32.const 16)))

;; Memory and helpers every conformance module gets (after its own definitions).
;; Memory map: 0 path_open's new fd, 32.. an fdstat, 256.. iovecs and counts,
;; 1024.. the module's own strings (data segments), 4096.. buffers.
  (memory (export "memory") 1)

  ;; end the run with exit code $step unless $got == $want
  (func $expect (param $got i32) (param $want i32) (param $step i32)
    (if (i32.ne (local.get $got) (local.get $want)) (then (call $proc_exit (local.get $step)))))

  ;; end the run with exit code $step unless $rights holds every bit of $right
  (func $expect_right (param $rights i64) (param $right i64) (param $step i32)
    (if (i64.ne (i64.and (local.get $rights) (local.get $right)) (local.get $right))
      (then (call $proc_exit (local.get $step)))))

  ;; end the run with exit code $step if $rights holds any bit of $right
  (func $expect_no_right (param $rights i64) (param $right i64) (param $step i32)
    (if (i64.ne (i64.and (local.get $rights) (local.get $right)) (i64.const 0))
      (then (call $proc_exit (local.get $step)))))

  ;; path_open under $dir with base = inheriting = $rights; the errno (the fd goes to 0)
  (func $open (param $dir i32) (param $path i32) (param $len i32) (param $oflags i32)
    (param $rights i64) (result i32)
    (call $path_open (local.get $dir) (i32.const 0) (local.get $path) (local.get $len)
      (local.get $oflags) (local.get $rights) (local.get $rights) (i32.const 0) (i32.const 0)))

  ;; the fd the last successful $open returned
  (func $opened (result i32) (i32.load (i32.const 0)))

  ;; the base / inheriting rights fd_fdstat_get reports for $fd
  (func $base (param $fd i32) (result i64)
    (call $expect (call $fd_fdstat_get (local.get $fd) (i32.const 32)) (i32.const 0) (i32.const 99))
    (i64.load (i32.const 40)))
  (func $inheriting (param $fd i32) (result i64)
    (call $expect (call $fd_fdstat_get (local.get $fd) (i32.const 32)) (i32.const 0) (i32.const 99))
    (i64.load (i32.const 48)))

  ;; fd_read / fd_write of $len bytes at 4096 on $fd; the errno
  (func $read (param $fd i32) (param $len i32) (result i32)
    (i32.store (i32.const 256) (i32.const 4096))
    (i32.store (i32.const 260) (local.get $len))
    (call $fd_read (local.get $fd) (i32.const 256) (i32.const 1) (i32.const 264)))
  (func $write (param $fd i32) (param $len i32) (result i32)
    (i32.store (i32.const 256) (i32.const 4096))
    (i32.store (i32.const 260) (local.get $len))
    (call $fd_write (local.get $fd) (i32.const 256) (i32.const 1) (i32.const 264)))

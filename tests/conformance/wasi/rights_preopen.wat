;; A preopened directory reports the directory rights (no read, write, seek or
;; truncate of the fd itself), passes on every file right, and opening it again
;; with its own rights works.
  (data (i32.const 1024) ".")
  (func (export "_start")
    (local $base i64) (local $inheriting i64)
    (local.set $base (call $base (i32.const 3)))
    (local.set $inheriting (call $inheriting (i32.const 3)))
    ;; path_* rights, fd_readdir, fd_filestat_get/set_times
    (call $expect_right (local.get $base) (i64.const 129498624) (i32.const 10))
    ;; fd_read, fd_write, fd_seek, fd_filestat_set_size
    (call $expect_no_right (local.get $base) (i64.const 4194374) (i32.const 11))
    ;; every file right is passed on, and every directory right
    (call $expect_right (local.get $inheriting) (i64.const 148898303) (i32.const 12))
    (call $expect_right (local.get $inheriting) (i64.const 129498624) (i32.const 13))
    ;; open "." with the preopen's own rights
    (call $expect
      (call $path_open (i32.const 3) (i32.const 0) (i32.const 1024) (i32.const 1) (i32.const 0)
        (local.get $base) (local.get $inheriting) (i32.const 0) (i32.const 0))
      (i32.const 0) (i32.const 14))
    ;; the new fd is a directory with the same rights
    (call $expect (i64.eq (call $base (call $opened)) (local.get $base)) (i32.const 1) (i32.const 15)))

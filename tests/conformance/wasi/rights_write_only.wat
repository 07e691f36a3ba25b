;; A file opened with FD_WRITE only reports no read right, and fd_read on it
;; is ENOTCAPABLE; writing works.
  (data (i32.const 1024) "writeonly.cleanup")
  (func (export "_start")
    (local $fd i32)
    ;; OFLAGS_CREAT, rights FD_WRITE
    (call $expect (call $open (i32.const 3) (i32.const 1024) (i32.const 17) (i32.const 1)
      (i64.const 64)) (i32.const 0) (i32.const 10))
    (local.set $fd (call $opened))
    (call $expect_right (call $base (local.get $fd)) (i64.const 64) (i32.const 11))
    (call $expect_no_right (call $base (local.get $fd)) (i64.const 2) (i32.const 12))
    (call $expect (call $write (local.get $fd) (i32.const 3)) (i32.const 0) (i32.const 13))
    (call $expect (call $read (local.get $fd) (i32.const 3)) (i32.const 76) (i32.const 14))
    (drop (call $fd_close (local.get $fd)))
    (call $expect (call $path_unlink_file (i32.const 3) (i32.const 1024) (i32.const 17))
      (i32.const 0) (i32.const 15)))

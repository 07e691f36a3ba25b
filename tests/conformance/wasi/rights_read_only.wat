;; A file opened with FD_READ only reports no write right, and fd_write on it
;; is ENOTCAPABLE (the file is unchanged); reading works.
  (data (i32.const 1024) "readonly.cleanup")
  (data (i32.const 4096) "data")
  (func (export "_start")
    (local $fd i32)
    ;; create it with read and write, write 4 bytes
    (call $expect (call $open (i32.const 3) (i32.const 1024) (i32.const 16) (i32.const 1)
      (i64.const 66)) (i32.const 0) (i32.const 10))
    (call $expect (call $write (call $opened) (i32.const 4)) (i32.const 0) (i32.const 11))
    (drop (call $fd_close (call $opened)))
    ;; open it again with FD_READ only
    (call $expect (call $open (i32.const 3) (i32.const 1024) (i32.const 16) (i32.const 0)
      (i64.const 2)) (i32.const 0) (i32.const 12))
    (local.set $fd (call $opened))
    (call $expect_right (call $base (local.get $fd)) (i64.const 2) (i32.const 13))
    (call $expect_no_right (call $base (local.get $fd)) (i64.const 64) (i32.const 14))
    ;; ENOTCAPABLE = 76
    (call $expect (call $write (local.get $fd) (i32.const 4)) (i32.const 76) (i32.const 15))
    (call $expect (call $read (local.get $fd) (i32.const 16)) (i32.const 0) (i32.const 16))
    (call $expect (i32.load (i32.const 264)) (i32.const 4) (i32.const 17))
    (drop (call $fd_close (local.get $fd)))
    (call $expect (call $path_unlink_file (i32.const 3) (i32.const 1024) (i32.const 16))
      (i32.const 0) (i32.const 18)))

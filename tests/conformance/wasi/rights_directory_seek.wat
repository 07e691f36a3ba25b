;; A directory opened asking for FD_SEEK reports no seek (nor truncate) right,
;; and fd_seek / fd_tell / fd_filestat_set_size on it fail with EISDIR.
  (data (i32.const 1024) "seekdir.cleanup")
  (func (export "_start")
    (local $fd i32)
    (call $expect (call $path_create_directory (i32.const 3) (i32.const 1024) (i32.const 15))
      (i32.const 0) (i32.const 10))
    ;; OFLAGS_DIRECTORY, rights FD_SEEK
    (call $expect (call $open (i32.const 3) (i32.const 1024) (i32.const 15) (i32.const 2)
      (i64.const 4)) (i32.const 0) (i32.const 11))
    (local.set $fd (call $opened))
    ;; FD_SEEK, FD_FILESTAT_SET_SIZE
    (call $expect_no_right (call $base (local.get $fd)) (i64.const 4194308) (i32.const 12))
    ;; EISDIR = 31
    (call $expect (call $fd_seek (local.get $fd) (i64.const 0) (i32.const 1) (i32.const 256))
      (i32.const 31) (i32.const 13))
    (call $expect (call $fd_seek (local.get $fd) (i64.const 0) (i32.const 0) (i32.const 256))
      (i32.const 31) (i32.const 14))
    (call $expect (call $fd_tell (local.get $fd) (i32.const 256)) (i32.const 31) (i32.const 15))
    (call $expect (call $fd_filestat_set_size (local.get $fd) (i64.const 0))
      (i32.const 31) (i32.const 16))
    (call $expect (call $fd_close (local.get $fd)) (i32.const 0) (i32.const 17))
    (call $expect (call $path_remove_directory (i32.const 3) (i32.const 1024) (i32.const 15))
      (i32.const 0) (i32.const 18)))

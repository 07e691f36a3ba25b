;; fd_fdstat_set_rights only shrinks: a dropped right is gone (its calls are
;; ENOTCAPABLE) and asking for it back is ENOTCAPABLE. A directory that no
;; longer passes on FD_WRITE cannot open files for writing, and one without
;; PATH_CREATE_FILE cannot create them.
  (data (i32.const 1024) "shrink.cleanup")
  (data (i32.const 1040) ".")
  (func (export "_start")
    (local $fd i32) (local $base i64) (local $dir i32)
    ;; a file with read, write, seek, tell
    (call $expect (call $open (i32.const 3) (i32.const 1024) (i32.const 14) (i32.const 1)
      (i64.const 102)) (i32.const 0) (i32.const 10))
    (local.set $fd (call $opened))
    (local.set $base (call $base (local.get $fd)))
    ;; drop FD_READ | FD_WRITE
    (call $expect (call $fd_fdstat_set_rights (local.get $fd)
      (i64.and (local.get $base) (i64.const -67)) (i64.const 0)) (i32.const 0) (i32.const 11))
    (call $expect_no_right (call $base (local.get $fd)) (i64.const 66) (i32.const 12))
    (call $expect_right (call $base (local.get $fd)) (i64.const 4) (i32.const 13))
    (call $expect (call $read (local.get $fd) (i32.const 1)) (i32.const 76) (i32.const 14))
    (call $expect (call $write (local.get $fd) (i32.const 1)) (i32.const 76) (i32.const 15))
    ;; asking for them back
    (call $expect (call $fd_fdstat_set_rights (local.get $fd) (local.get $base) (i64.const 0))
      (i32.const 76) (i32.const 16))
    ;; dropping FD_SEEK stops seeking
    (call $expect (call $fd_fdstat_set_rights (local.get $fd) (i64.const 32) (i64.const 0))
      (i32.const 0) (i32.const 17))
    (call $expect (call $fd_seek (local.get $fd) (i64.const 1) (i32.const 0) (i32.const 256))
      (i32.const 76) (i32.const 18))
    (drop (call $fd_close (local.get $fd)))
    ;; a second handle on the preopen passes on everything but FD_WRITE
    (call $expect (call $path_open (i32.const 3) (i32.const 0) (i32.const 1040) (i32.const 1)
      (i32.const 2) (call $base (i32.const 3)) (call $inheriting (i32.const 3)) (i32.const 0)
      (i32.const 0)) (i32.const 0) (i32.const 19))
    (local.set $dir (call $opened))
    (call $expect (call $fd_fdstat_set_rights (local.get $dir) (call $base (local.get $dir))
      (i64.and (call $inheriting (local.get $dir)) (i64.const -65))) (i32.const 0) (i32.const 20))
    (call $expect (call $open (local.get $dir) (i32.const 1024) (i32.const 14) (i32.const 0)
      (i64.const 64)) (i32.const 76) (i32.const 21))
    (call $expect (call $open (local.get $dir) (i32.const 1024) (i32.const 14) (i32.const 0)
      (i64.const 2)) (i32.const 0) (i32.const 22))
    (drop (call $fd_close (call $opened)))
    ;; and without PATH_CREATE_FILE (1024) it creates nothing
    (call $expect (call $fd_fdstat_set_rights (local.get $dir)
      (i64.and (call $base (local.get $dir)) (i64.const -1025)) (call $inheriting (local.get $dir)))
      (i32.const 0) (i32.const 23))
    (call $expect (call $open (local.get $dir) (i32.const 1024) (i32.const 14) (i32.const 1)
      (i64.const 2)) (i32.const 76) (i32.const 24))
    (call $expect (call $path_unlink_file (i32.const 3) (i32.const 1024) (i32.const 14))
      (i32.const 0) (i32.const 25)))

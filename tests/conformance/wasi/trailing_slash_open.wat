;; path_open: "new/" with OFLAGS_CREAT is EISDIR and creates nothing; "file/"
;; is ENOTDIR; "dir/" opens the directory.
  (data (i32.const 1024) "new.cleanup/")
  (data (i32.const 1040) "file.cleanup/")
  (data (i32.const 1056) "dir.cleanup/")
  (func (export "_start")
    ;; EISDIR = 31, then ENOENT = 44: nothing was created
    (call $expect (call $open (i32.const 3) (i32.const 1024) (i32.const 12) (i32.const 1)
      (i64.const 66)) (i32.const 31) (i32.const 10))
    (call $expect (call $open (i32.const 3) (i32.const 1024) (i32.const 11) (i32.const 0)
      (i64.const 2)) (i32.const 44) (i32.const 11))
    ;; ENOTDIR = 54
    (call $expect (call $open (i32.const 3) (i32.const 1040) (i32.const 12) (i32.const 1)
      (i64.const 2)) (i32.const 0) (i32.const 12))
    (drop (call $fd_close (call $opened)))
    (call $expect (call $open (i32.const 3) (i32.const 1040) (i32.const 13) (i32.const 0)
      (i64.const 2)) (i32.const 54) (i32.const 13))
    ;; a directory opens with or without OFLAGS_DIRECTORY
    (call $expect (call $path_create_directory (i32.const 3) (i32.const 1056) (i32.const 11))
      (i32.const 0) (i32.const 14))
    (call $expect (call $open (i32.const 3) (i32.const 1056) (i32.const 12) (i32.const 0)
      (i64.const 2)) (i32.const 0) (i32.const 15))
    (drop (call $fd_close (call $opened)))
    (call $expect (call $open (i32.const 3) (i32.const 1056) (i32.const 12) (i32.const 2)
      (i64.const 2)) (i32.const 0) (i32.const 16))
    (drop (call $fd_close (call $opened)))
    ;; OFLAGS_DIRECTORY asking for FD_READ | FD_WRITE is EISDIR
    (call $expect (call $open (i32.const 3) (i32.const 1056) (i32.const 12) (i32.const 2)
      (i64.const 66)) (i32.const 31) (i32.const 17))
    (call $expect (call $path_remove_directory (i32.const 3) (i32.const 1056) (i32.const 11))
      (i32.const 0) (i32.const 18))
    (call $expect (call $path_unlink_file (i32.const 3) (i32.const 1040) (i32.const 12))
      (i32.const 0) (i32.const 19)))

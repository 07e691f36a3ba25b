;; path_symlink: a link name ending in a slash is ENOENT when free, EEXIST
;; when a directory has it and ENOTDIR when a file has it; without the slash
;; the same link is made.
  (data (i32.const 1024) "source")
  (data (i32.const 1040) "target.cleanup/")
  (func (export "_start")
    ;; ENOENT = 44, and no link "target.cleanup" appears
    (call $expect (call $path_symlink (i32.const 1024) (i32.const 6) (i32.const 3)
      (i32.const 1040) (i32.const 15)) (i32.const 44) (i32.const 10))
    (call $expect (call $path_unlink_file (i32.const 3) (i32.const 1040) (i32.const 14))
      (i32.const 44) (i32.const 11))
    ;; EEXIST = 20 over a directory
    (call $expect (call $path_create_directory (i32.const 3) (i32.const 1040) (i32.const 14))
      (i32.const 0) (i32.const 12))
    (call $expect (call $path_symlink (i32.const 1024) (i32.const 6) (i32.const 3)
      (i32.const 1040) (i32.const 15)) (i32.const 20) (i32.const 13))
    (call $expect (call $path_remove_directory (i32.const 3) (i32.const 1040) (i32.const 14))
      (i32.const 0) (i32.const 14))
    ;; ENOTDIR = 54 over a file
    (call $expect (call $open (i32.const 3) (i32.const 1040) (i32.const 14) (i32.const 1)
      (i64.const 2)) (i32.const 0) (i32.const 15))
    (drop (call $fd_close (call $opened)))
    (call $expect (call $path_symlink (i32.const 1024) (i32.const 6) (i32.const 3)
      (i32.const 1040) (i32.const 15)) (i32.const 54) (i32.const 16))
    (call $expect (call $path_unlink_file (i32.const 3) (i32.const 1040) (i32.const 14))
      (i32.const 0) (i32.const 17))
    ;; without the slash: a (dangling) symlink
    (call $expect (call $path_symlink (i32.const 1024) (i32.const 6) (i32.const 3)
      (i32.const 1040) (i32.const 14)) (i32.const 0) (i32.const 18))
    (call $expect (call $path_unlink_file (i32.const 3) (i32.const 1040) (i32.const 14))
      (i32.const 0) (i32.const 19)))

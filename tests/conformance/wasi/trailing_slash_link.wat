;; path_link: a new name ending in a slash is ENOENT when free and EEXIST when
;; taken; a source "file/" is ENOTDIR. Nothing is created.
  (data (i32.const 1024) "file.cleanup")
  (data (i32.const 1040) "link.cleanup/")
  (data (i32.const 1056) "file.cleanup/")
  (data (i32.const 1072) "dir.cleanup/")
  (func (export "_start")
    (call $expect (call $open (i32.const 3) (i32.const 1024) (i32.const 12) (i32.const 1)
      (i64.const 2)) (i32.const 0) (i32.const 10))
    (drop (call $fd_close (call $opened)))
    ;; ENOENT = 44
    (call $expect (call $path_link (i32.const 3) (i32.const 0) (i32.const 1024) (i32.const 12)
      (i32.const 3) (i32.const 1040) (i32.const 13)) (i32.const 44) (i32.const 11))
    ;; the link was not created without its slash either: unlinking it is ENOENT
    (call $expect (call $path_unlink_file (i32.const 3) (i32.const 1040) (i32.const 12))
      (i32.const 44) (i32.const 12))
    ;; EEXIST = 20 for an existing directory "dir.cleanup/"
    (call $expect (call $path_create_directory (i32.const 3) (i32.const 1072) (i32.const 11))
      (i32.const 0) (i32.const 13))
    (call $expect (call $path_link (i32.const 3) (i32.const 0) (i32.const 1024) (i32.const 12)
      (i32.const 3) (i32.const 1072) (i32.const 12)) (i32.const 20) (i32.const 14))
    ;; ENOTDIR = 54 for the source "file.cleanup/"
    (call $expect (call $path_link (i32.const 3) (i32.const 0) (i32.const 1056) (i32.const 13)
      (i32.const 3) (i32.const 1040) (i32.const 12)) (i32.const 54) (i32.const 15))
    (call $expect (call $path_remove_directory (i32.const 3) (i32.const 1072) (i32.const 11))
      (i32.const 0) (i32.const 16))
    (call $expect (call $path_unlink_file (i32.const 3) (i32.const 1024) (i32.const 12))
      (i32.const 0) (i32.const 17)))

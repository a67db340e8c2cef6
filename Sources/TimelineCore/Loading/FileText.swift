import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An open file read by offset (`pread`), for text that stays in the file until it is shown.
///
/// A large timeline keeps only `TextRef`s to its titles and summaries, not the text: lnav does the same
/// with log lines. `pread` rather than `mmap`, because a mapped file that is truncated by another
/// program turns the next read into SIGBUS; a short `pread` is just a short read.
///
/// Offsets are only good for the content that was indexed. Another program may rewrite the file in
/// place while it is open (an editor saving without renaming, `>` in a shell), and its bytes at an
/// old offset are then the middle of something else (raw JSON where a title was). So every read is
/// checked against the file's stamp taken when it was opened (one `fstat` after the read: a change
/// during the read is seen too); once the file has changed, reads give nothing, and `hasChanged`
/// says why. The explorer then reloads the file.
public final class FileText: Sendable {
  let fd: Int32
  public let path: String
  /// The size when it was loaded.
  public let size: Int
  /// How many reads were made, for tests that check a file is not read more than it needs.
  let reads = Atomic<Int>(0)
  /// How many bytes those reads gave.
  let bytesRead = Atomic<Int>(0)
  /// The file as it was when opened.
  public let stamp: FileStamp
  private let changed = Atomic<Bool>(false)

  public init?(path: String) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    var st = stat()
    guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
      close(fd)
      return nil
    }
    self.fd = fd
    self.path = path
    self.size = Int(st.st_size)
    self.stamp = FileStamp(st)
  }

  deinit { close(fd) }

  /// Reads up to `count` bytes at `offset` into `buffer`; returns how many were read (fewer at the end
  /// of the file, none once it has changed since it was opened).
  public func read(into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int) -> Int {
    if changed.load(ordering: .relaxed) { return 0 }
    var done = 0
    reads.add(1, ordering: .relaxed)
    while done < count {
      let n = pread(fd, buffer + done, count - done, off_t(offset + done))
      if n < 0 {
        if errno == EINTR { continue }
        break
      }
      if n == 0 { break }
      done += n
    }
    if FileStamp(descriptor: fd) != stamp {
      changed.store(true, ordering: .relaxed)
      return 0
    }
    bytesRead.add(done, ordering: .relaxed)
    return done
  }

  /// The bytes of a range (fewer if the file is shorter now).
  public func bytes(_ range: Range<Int>) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: range.count)
    let n = out.withUnsafeMutableBytes { read(into: $0.baseAddress!, count: range.count, at: range.lowerBound) }
    if n < out.count { out.removeSubrange(n...) }
    return out
  }

  /// Whether the open file's content is no longer what was loaded (its size or modification time
  /// changed), in which case reads give nothing.
  public var hasChanged: Bool {
    if changed.load(ordering: .relaxed) { return true }
    if FileStamp(descriptor: fd) == stamp { return false }
    changed.store(true, ordering: .relaxed)
    return true
  }
}

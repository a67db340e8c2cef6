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
public final class FileText: Sendable {
  let fd: Int32
  public let path: String
  /// The size when it was loaded; a later size means the file changed under us.
  public let size: Int
  /// How many reads were made, for tests that check a file is not read more than it needs.
  let reads = Atomic<Int>(0)

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
  }

  deinit { close(fd) }

  /// Reads up to `count` bytes at `offset` into `buffer`; returns how many were read (fewer at the end
  /// of the file or when it shrank).
  public func read(into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int) -> Int {
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
    return done
  }

  /// The bytes of a range (fewer if the file is shorter now).
  public func bytes(_ range: Range<Int>) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: range.count)
    let n = out.withUnsafeMutableBytes { read(into: $0.baseAddress!, count: range.count, at: range.lowerBound) }
    if n < out.count { out.removeSubrange(n...) }
    return out
  }

  /// Whether the file on disk is no longer the one that was loaded (size changed).
  public var hasChanged: Bool {
    var st = stat()
    return fstat(fd, &st) != 0 || Int(st.st_size) != size
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reading a timeline file's bytes, with messages that say why a file cannot be read.
public enum TimelineFile {
  /// The largest file accepted. Larger inputs get a clear error up front instead of exhausting
  /// memory part way (a 1 GiB file of typical events is about 2.3 million events).
  public static let maxBytes = 4 << 30

  /// Why a file could not be read (exit code 66: "cannot open input").
  public struct ReadError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var message: String
    public var description: String { "\(file): \(message)" }
  }

  /// Reads a whole file. Regular files, pipes and FIFOs (`--data <(command)`) are read to their end;
  /// directories and devices are refused.
  public static func read(path: String) throws(ReadError) -> [UInt8] {
    // O_NONBLOCK so that opening a FIFO with no writer does not hang; cleared right after.
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    if fd < 0 { throw ReadError(file: path, message: describe(errno)) }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { throw ReadError(file: path, message: describe(errno)) }
    let type = st.st_mode & S_IFMT
    if type == S_IFDIR { throw ReadError(file: path, message: "is a directory, not a timeline file") }
    guard type == S_IFREG || type == S_IFIFO || type == S_IFSOCK || type == S_IFCHR else {
      throw ReadError(file: path, message: "is not a regular file, a pipe or a FIFO")
    }
    let flags = fcntl(fd, F_GETFL)
    if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
    if type == S_IFREG && Int(st.st_size) > maxBytes {
      throw ReadError(file: path, message: "is \(Int(st.st_size)) bytes; the limit is \(maxBytes) bytes (4 GiB)")
    }
    return try readAll(fd, sizeHint: type == S_IFREG ? Int(st.st_size) : 0, name: path)
  }

  /// Reads to the end of a descriptor. The size hint is only a hint: a file that grows while it is
  /// read is read to its new end (up to the limit), one that shrinks ends early and then fails to
  /// decode with a positioned "unexpected end of file".
  public static func readAll(_ fd: Int32, sizeHint: Int, name: String) throws(ReadError) -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: max(sizeHint + 1, 64 * 1024))
    var filled = 0
    while true {
      if filled == buffer.count {
        if buffer.count > maxBytes {
          throw ReadError(file: name, message: "is larger than the limit of \(maxBytes) bytes (4 GiB)")
        }
        // Grow, but never past the limit and one byte: an endless input (/dev/zero, a runaway pipe)
        // is refused there instead of exhausting memory.
        buffer.append(contentsOf: repeatElement(0, count: min(buffer.count, maxBytes + 1 - buffer.count)))
      }
      let n = buffer.withUnsafeMutableBytes { raw in
        Glibc.read(fd, raw.baseAddress! + filled, raw.count - filled)
      }
      if n < 0 {
        if errno == EINTR { continue }
        throw ReadError(file: name, message: describe(errno))
      }
      if n == 0 { break }
      filled += n
    }
    if filled > maxBytes { throw ReadError(file: name, message: "is larger than the limit of \(maxBytes) bytes (4 GiB)") }
    buffer.removeSubrange(filled...)
    return buffer
  }

  static func describe(_ code: Int32) -> String {
    switch code {
    case ENOENT: "no such file"
    case EACCES: "permission denied"
    case EISDIR: "is a directory, not a timeline file"
    case ENOTDIR: "a part of the path is not a directory"
    case ELOOP: "too many symbolic links"
    case ENAMETOOLONG: "the path is too long"
    default: String(cString: strerror(code))
    }
  }
}

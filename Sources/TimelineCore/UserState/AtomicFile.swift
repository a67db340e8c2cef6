import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes files so that they are never seen half-written and never written through a symbolic link:
/// the bytes go to a new file in the same directory (created exclusively, so an existing file or link
/// of that name is never opened), are flushed to the disk, then the new file is renamed over the old
/// name. `rename` replaces a name, not what a link there points to, so a link planted where the state
/// or an export goes is replaced rather than followed.
///
/// Sessions and exports both go through here.
public enum AtomicFile {
  public struct Failure: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "cannot write \(path): \(reason)" }

    public init(path: String, reason: String) {
      self.path = path
      self.reason = reason
    }
  }

  /// What is at a path now (without following a final symbolic link).
  public enum Existing: Equatable, Sendable { case nothing, file, symbolicLink, directory, other }

  public static func existing(_ path: String) -> Existing {
    var st = stat()
    guard lstat(path, &st) == 0 else { return .nothing }
    switch st.st_mode & S_IFMT {
    case S_IFREG: return .file
    case S_IFLNK: return .symbolicLink
    case S_IFDIR: return .directory
    default: return .other
    }
  }

  /// Replaces (or creates) `path` with `bytes`. `permissions` apply to a new file (masked by the
  /// umask); a file that existed keeps its own, as an editor saving it would.
  public static func write(_ bytes: [UInt8], to path: String, permissions: mode_t = 0o666) throws(Failure) {
    let directory = parent(of: path)
    let name = path.split(separator: "/").last.map(String.init) ?? path
    var mode = permissions
    var st = stat()
    if lstat(path, &st) == 0 {
      switch st.st_mode & S_IFMT {
      case S_IFREG: mode = st.st_mode & 0o7777
      case S_IFDIR: throw Failure(path: path, reason: "it is a directory")
      case S_IFLNK: break  // replaced, never followed
      default: throw Failure(path: path, reason: "it is not a regular file")
      }
    }
    // The pid and a counter keep two writers (two explorers, two threads) off each other's temporary.
    var fd: Int32 = -1
    var temp = ""
    for attempt in 0..<100 {
      temp = directory + "/." + name + ".\(getpid()).\(counter.wrappingAdd(1, ordering: .relaxed).newValue).\(attempt).tmp"
      fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
      if fd >= 0 || errno != EEXIST { break }
    }
    guard fd >= 0 else { throw Failure(path: path, reason: errorText(errno)) }
    // An existing file's mode is applied exactly (open's is masked by the umask).
    if st.st_mode & S_IFMT == S_IFREG { _ = fchmod(fd, mode) }
    var done = 0
    var failure: Int32 = 0
    bytes.withUnsafeBytes { raw in
      while done < raw.count {
        let n = writeBytes(fd, raw.baseAddress! + done, raw.count - done)
        if n < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        done += n
      }
    }
    if failure == 0 && fsync(fd) != 0 { failure = errno }
    if close(fd) != 0 && failure == 0 { failure = errno }
    if failure == 0 && rename(temp, path) != 0 { failure = errno }
    if failure != 0 {
      unlink(temp)
      throw Failure(path: path, reason: errorText(failure))
    }
    // The rename itself is made durable by flushing the directory (a crash could otherwise lose it).
    let dirfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dirfd >= 0 {
      _ = fsync(dirfd)
      close(dirfd)
    }
  }

  public static func write(_ text: String, to path: String, permissions: mode_t = 0o666) throws(Failure) {
    try write(Array(text.utf8), to: path, permissions: permissions)
  }

  /// Creates a directory and its parents (private to the user when new).
  public static func makeDirectory(_ path: String, permissions: mode_t = 0o700) throws(Failure) {
    var built = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/") {
      built += "/" + part
      if mkdir(built, permissions) != 0 && errno != EEXIST {
        throw Failure(path: path, reason: errorText(errno))
      }
    }
    var st = stat()
    guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else {
      throw Failure(path: path, reason: "it is not a directory")
    }
  }

  /// The directory a path is in ("." for a bare name).
  public static func parent(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  static func errorText(_ code: Int32) -> String {
    String(cString: strerror(code)).lowercased()
  }

  /// Numbers temporary files within this process.
  private static let counter = Atomic<Int>(0)
}

@inline(__always)
private func writeBytes(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
  write(fd, p, n)
}

import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The session file of one data file: `<state>/sessions/<key>.json` (see `StateDirectory`).
///
/// Loading never fails the explorer and never loses a file: one that is not a session this program
/// can read (corrupt, or from a newer version) is renamed beside itself (`….corrupt-<time>.json`,
/// `….newer-<time>.json`) and the caller is told, so the user can look at it; if it cannot even be
/// renamed, the store refuses to save over it.
public struct SessionStore: Sendable {
  public let path: String
  /// The data file (nil: the bundled case), absolute.
  public let dataFile: String?

  public init(directory: StateDirectory, dataFile: String?) {
    self.dataFile = dataFile.map(StateDirectory.absolutePath)
    path = directory.file("sessions", forDataFile: dataFile)
  }

  /// What was found.
  public enum Loaded: Equatable, Sendable {
    /// No session yet for this file.
    case none
    case restored(Session)
    /// A file that could not be used, now renamed to `movedTo`.
    case setAside(reason: String, movedTo: String)
    /// A file that could not be read or renamed; saving would overwrite it, so it must not happen.
    case unusable(reason: String)
  }

  /// A session larger than this is not one this program wrote (a note is a few lines).
  static let sizeLimit = 64 << 20

  /// Reads the session. With `setAside` false (`timeline list`, which only reads), a file that cannot
  /// be used is left where it is and reported as unusable.
  public func load(setAside: Bool = true) -> Loaded {
    let moving = setAside
    let reject = { (reason: String, suffix: String) -> Loaded in
      moving ? self.setAside(reason, suffix: suffix) : .unusable(reason: reason)
    }
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
    if fd < 0 {
      if errno == ENOENT { return .none }
      if errno == ELOOP { return reject("a symbolic link", "link") }
      return .unusable(reason: AtomicFile.errorText(errno))
    }
    defer { close(fd) }
    guard let stamp = FileStamp(descriptor: fd) else { return .unusable(reason: AtomicFile.errorText(errno)) }
    if stamp.size > Self.sizeLimit { return reject("larger than \(Self.sizeLimit >> 20) MiB", "corrupt") }
    var bytes = [UInt8](repeating: 0, count: stamp.size)
    var done = 0
    while done < bytes.count {
      let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, $0.count - done, off_t(done)) }
      if n < 0 && errno == EINTR { continue }
      if n < 0 { return .unusable(reason: AtomicFile.errorText(errno)) }
      if n == 0 { break }
      done += n
    }
    bytes.removeSubrange(done...)
    switch Session.decode(bytes) {
    case .session(let s): return .restored(s)
    case .newer(let v): return reject("written by a newer version of timeline (session version \(v))", "newer")
    case .corrupt(let why): return reject("corrupt (\(why))", "corrupt")
    }
  }

  /// Renames the session file beside itself so that it is kept but no longer in the way.
  private func setAside(_ reason: String, suffix: String) -> Loaded {
    let stem = path.hasSuffix(".json") ? String(path.dropLast(5)) : path
    let time = Self.compactTime(Date())
    for attempt in 0..<100 {
      let target = stem + ".\(suffix)-\(time)" + (attempt == 0 ? "" : "-\(attempt)") + ".json"
      if AtomicFile.existing(target) != .nothing { continue }
      if rename(path, target) == 0 { return .setAside(reason: reason, movedTo: target) }
      return .unusable(reason: "\(reason); cannot rename it: \(AtomicFile.errorText(errno))")
    }
    return .unusable(reason: reason)
  }

  /// Writes the session (atomically, private to the user: notes are theirs), making the folders.
  public func save(_ session: Session) throws(AtomicFile.Failure) {
    try AtomicFile.makeDirectory(AtomicFile.parent(of: path))
    var s = session
    s.dataFile = dataFile
    s.saved = Self.isoTime(Date())
    try AtomicFile.write(s.encoded, to: path, permissions: 0o600)
  }

  static func isoTime(_ date: Date) -> String {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    return f.string(from: date)
  }

  static func compactTime(_ date: Date) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
    return f.string(from: date)
  }
}

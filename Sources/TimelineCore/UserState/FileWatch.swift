/// Notices that a data file changed on disk, from its stamp (one `stat`, no read), for the explorer's
/// live reload. The explorer calls `check` on a timer, never per key.
///
/// A change is reported once it has settled: the same new stamp seen on two checks in a row, so that a
/// file still being written (an editor saving in place, a script appending) is not loaded half-way.
public struct FileWatch: Sendable, Equatable {
  public let path: String
  /// The stamp of what is shown (or last tried).
  public private(set) var current: FileStamp?
  private var candidate: FileStamp?
  private var missing = 0

  public init(path: String, loaded: FileStamp?) {
    self.path = path
    current = loaded
  }

  public enum Change: Equatable, Sendable {
    case none
    /// Changed and settled: load it, then `accept` this stamp.
    case changed(FileStamp)
    /// The file is no longer there, on two looks in a row (said once).
    case gone
  }

  public mutating func check() -> Change {
    guard let now = FileStamp(path: path) else {
      // Missing on two looks in a row: an editor that saves by renaming leaves no gap that long.
      candidate = nil
      missing += 1
      return missing == 2 ? .gone : .none
    }
    missing = 0
    if now == current {
      candidate = nil
      return .none
    }
    if now == candidate { return .changed(now) }
    candidate = now
    return .none
  }

  /// Records that the file as stamped has been dealt with (loaded, or found invalid), so it is not
  /// reported again until it changes once more.
  public mutating func accept(_ stamp: FileStamp?) {
    current = stamp
    candidate = nil
  }
}

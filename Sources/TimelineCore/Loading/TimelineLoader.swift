import Foundation
import Synchronization

/// Loads timeline files: small ones through the reference decoder in memory, large ones streamed
/// from disk by a fast parser on two threads, with their text left in the file.
///
/// The fast path is only ever a shortcut for valid files. Whenever it meets anything unusual it stops,
/// and the reference decoder reads the whole file instead: it accepts exactly the same files and is the
/// one that explains what is wrong, with lines and columns.
public enum TimelineLoader {
  /// Files at least this large are streamed (below it, reading them whole is as fast and simpler).
  public static let streamingThreshold = 4 << 20
  /// Files at least this large are parsed by two threads, each from one half.
  public static let parallelThreshold = 32 << 20

  public struct Options: Sendable {
    /// Stream even a small file (for tests of the fast path).
    public var forceStreaming = false
    /// 1 or 2.
    public var threads = 2
    /// Files at least this large are parsed by two threads (lower it to test the split on small files).
    public var parallelThreshold = TimelineLoader.parallelThreshold
    /// Called now and then with the share of the file read, 0...1.
    public var progress: (@Sendable (Double) -> Void)?
    /// Polled now and then; returning true abandons the load.
    public var isCancelled: (@Sendable () -> Bool)?
    /// Bytes read at a time by each thread (at least 4,096; tests make it small so that events are
    /// cut by the end of the window at every possible place).
    var windowSize = 1 << 20

    public init(forceStreaming: Bool = false, threads: Int = 2, parallelThreshold: Int = TimelineLoader.parallelThreshold) {
      self.forceStreaming = forceStreaming
      self.threads = threads
      self.parallelThreshold = parallelThreshold
    }
  }

  public enum Failure: Error, Sendable, CustomStringConvertible {
    case cannotRead(TimelineFile.ReadError)
    case invalid(DecodeFailure)
    case cancelled

    public var description: String {
      switch self {
      case .cannotRead(let e): "cannot read \(e)"
      case .invalid(let f): f.description
      case .cancelled: "loading cancelled"
      }
    }
  }

  /// Where the time went, for benchmarks.
  public struct Timings: Sendable {
    /// Reading and parsing the bytes (the two overlap when streaming).
    public var parse: Double = 0
    /// Merging threads' results, resolving ids, checking references.
    public var resolve: Double = 0
    /// Sorting events into chronological order.
    public var sort: Double = 0
    /// Building the country, person, tag and date indexes.
    public var index: Double = 0
    /// How the file was read: "memory", "stream-1" or "stream-2" (threads that contributed).
    public var path = "memory"

    public init() {}
  }

  public static func load(path: String, options: Options = Options()) throws(Failure) -> Timeline {
    var timings = Timings()
    return try load(path: path, options: options, timings: &timings)
  }

  public static func load(path: String, options: Options = Options(), timings: inout Timings) throws(Failure) -> Timeline {
    var st = stat()
    let statOK = stat(path, &st) == 0
    let isRegular = statOK && st.st_mode & S_IFMT == S_IFREG
    let size = Int(st.st_size)
    if isRegular && size > TimelineFile.maxBytes {
      throw .cannotRead(TimelineFile.ReadError(file: path, message: "is \(size) bytes; the limit is \(TimelineFile.maxBytes) bytes (4 GiB)"))
    }
    if isRegular && (size >= streamingThreshold || options.forceStreaming), let file = FileText(path: path) {
      let started = Date()
      if let timeline = StreamingLoad(file: file, options: options).run(timings: &timings) {
        return timeline
      }
      if options.isCancelled?() == true { throw .cancelled }
      // Not the common case: fall through to the reference decoder, which explains.
      timings = Timings()
      timings.parse = -Date().timeIntervalSince(started)  // time lost on the fast path, shown negative
    }
    let started = Date()
    let bytes: [UInt8]
    do {
      bytes = try TimelineFile.read(path: path)
    } catch {
      throw .cannotRead(error)
    }
    options.progress?(0.5)
    do {
      let t = try TimelineDecoder.decode(bytes, fileName: path)
      timings.parse += Date().timeIntervalSince(started)
      timings.path = "memory"
      return t
    } catch {
      throw .invalid(error)
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What `stat` says about a file that changes when its content does: the file (device and inode: an
/// editor that saves by renaming makes a new one), its size and its modification time to the
/// nanosecond. Comparing two stamps costs one `stat`, so the explorer can look at its data file every
/// second without reading it.
public struct FileStamp: Equatable, Hashable, Sendable {
  public let device: UInt64
  public let inode: UInt64
  public let size: Int
  public let modifiedSeconds: Int
  public let modifiedNanoseconds: Int

  init(_ st: stat) {
    device = UInt64(st.st_dev)
    inode = UInt64(st.st_ino)
    size = Int(st.st_size)
    #if canImport(Darwin)
      modifiedSeconds = Int(st.st_mtimespec.tv_sec)
      modifiedNanoseconds = Int(st.st_mtimespec.tv_nsec)
    #else
      modifiedSeconds = Int(st.st_mtim.tv_sec)
      modifiedNanoseconds = Int(st.st_mtim.tv_nsec)
    #endif
  }

  /// The stamp of the file a path names now (following links), or nil if there is none.
  public init?(path: String) {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    self.init(st)
  }

  /// The stamp of an open file.
  public init?(descriptor fd: Int32) {
    var st = stat()
    guard fstat(fd, &st) == 0 else { return nil }
    self.init(st)
  }

  /// Whether the content may differ: same file, size and modification time means the same content (an
  /// edit within the same nanosecond that keeps the size is not seen).
  public func sameContent(as other: FileStamp) -> Bool { self == other }
}

/// A short summary of a file's content, kept with a session so that the explorer can tell the data
/// file changed between two runs (marks then follow events by id, and those whose event is gone are
/// reported).
///
/// Files up to 16 MiB are hashed whole (a few milliseconds); larger ones by their size and 64 blocks of
/// 64 KiB spread evenly, first and last included, so that opening a gigabyte file does not read it all
/// twice. An edit that keeps the size and touches none of the blocks is not seen by the sampled
/// fingerprint; the modification time stored beside it catches those.
public struct FileFingerprint: Codable, Equatable, Hashable, Sendable {
  public var size: Int
  /// 16 hex digits.
  public var hash: String

  public init(size: Int, hash: String) {
    self.size = size
    self.hash = hash
  }

  static let wholeLimit = 16 << 20
  static let blocks = 64
  static let blockSize = 64 << 10

  /// The fingerprint of bytes in memory (the bundled case, small files).
  public init(bytes: [UInt8]) {
    size = bytes.count
    var h = Hash64()
    bytes.withUnsafeBytes { h.add($0) }
    hash = h.hex
  }

  /// The fingerprint of a file, or nil when it cannot be read.
  public init?(path: String) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    guard let stamp = FileStamp(descriptor: fd) else { return nil }
    let size = stamp.size
    var h = Hash64()
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    func hashRange(_ start: Int, _ count: Int) -> Bool {
      var offset = start
      let end = start + count
      while offset < end {
        // Whole pieces (a multiple of eight bytes but for the last), so that the hash is the same
        // however the reads come back.
        let want = min(buffer.count, end - offset)
        var got = 0
        while got < want {
          let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, want - got, off_t(offset + got)) }
          if n < 0 && errno == EINTR { continue }
          guard n > 0 else { return false }  // an error, or the file shrank while being read
          got += n
        }
        buffer.withUnsafeBytes { h.add(UnsafeRawBufferPointer(rebasing: $0[0..<want])) }
        offset += want
      }
      return true
    }
    if size <= Self.wholeLimit {
      guard hashRange(0, size) else { return nil }
    } else {
      let step = (size - Self.blockSize) / (Self.blocks - 1)
      for k in 0..<Self.blocks {
        guard hashRange(k * step, Self.blockSize) else { return nil }
      }
    }
    self.size = size
    hash = h.hex
  }
}

/// A 64-bit hash over bytes, eight at a time (FNV-1a's step on words, then a final mix).
struct Hash64 {
  private var state: UInt64 = 0xcbf2_9ce4_8422_2325
  private var length: UInt64 = 0

  mutating func add(_ bytes: UnsafeRawBufferPointer) {
    let n = bytes.count
    var i = 0
    while i + 8 <= n {
      let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
      state = (state ^ word) &* 0x100_0000_01b3
      state ^= state >> 29
      i += 8
    }
    while i < n {
      state = (state ^ UInt64(bytes[i])) &* 0x100_0000_01b3
      i += 1
    }
    length &+= UInt64(n)
  }

  var value: UInt64 {
    var x = state ^ length
    x ^= x >> 33
    x = x &* 0xff51_afd7_ed55_8ccd
    x ^= x >> 33
    return x
  }

  var hex: String {
    let s = String(value, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
  }
}

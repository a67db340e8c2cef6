/// The bytes of a timeline document, kept so that event text can be decoded when it is needed.
///
/// Events hold `TextRef`s into these bytes instead of `String`s. A small document stays in memory (the
/// bundled case is 80 KB); a large file stays on disk and is read by offset (`FileText`), so a million
/// events' titles and summaries cost no memory until they are shown.
public final class DocumentText: Sendable {
  enum Storage: Sendable {
    case memory([UInt8])
    case file(FileText)
  }
  let storage: Storage

  public init(bytes: [UInt8]) {
    storage = .memory(bytes)
  }

  public init(file: FileText) {
    storage = .file(file)
  }

  public var byteCount: Int {
    switch storage {
    case .memory(let b): b.count
    case .file(let f): f.size
    }
  }

  /// The file behind the text, when it is read from disk.
  public var file: FileText? {
    if case .file(let f) = storage { return f }
    return nil
  }

  /// The text a reference stands for (escapes decoded).
  public func string(_ ref: TextRef) -> String {
    if ref.isEmpty { return "" }
    return withUTF8(ref) { String(decoding: $0, as: UTF8.self) }
  }

  /// Calls `body` with the decoded UTF-8 bytes of a reference, without making a `String`.
  ///
  /// A file that changed on disk since it was loaded may give other bytes than were checked; they
  /// are decoded defensively (invalid UTF-8 becomes U+FFFD when made into a String), never trusted.
  public func withUTF8<R>(_ ref: TextRef, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    // A field that is not there (no summary, no notes) is never read.
    if ref.isEmpty { return body(UnsafeBufferPointer(start: nil, count: 0)) }
    switch storage {
    case .memory(let bytes):
      guard ref.offset + ref.length <= bytes.count else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
      return bytes.withUnsafeBufferPointer { buffer in
        Self.decode(UnsafeBufferPointer(rebasing: buffer[ref.range]), escaped: ref.escaped, body)
      }
    case .file(let f):
      let raw = f.bytes(ref.range)
      return raw.withUnsafeBufferPointer { Self.decode($0, escaped: ref.escaped, body) }
    }
  }

  private static func decode<R>(_ raw: UnsafeBufferPointer<UInt8>, escaped: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if !escaped { return body(raw) }
    var decoded: [UInt8] = []
    JSONString.unescape(raw, into: &decoded)
    return decoded.withUnsafeBufferPointer(body)
  }
}

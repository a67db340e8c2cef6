/// The bytes of a timeline document, kept so that event text can be decoded when it is needed.
///
/// Events hold `TextRef`s into these bytes instead of `String`s: a small timeline keeps its document in
/// memory (a few kilobytes for the bundled case); decoding a title costs one `String` init.
public final class DocumentText: Sendable {
  private let bytes: [UInt8]

  public init(bytes: [UInt8]) {
    self.bytes = bytes
  }

  public var byteCount: Int { bytes.count }

  /// The text a reference stands for (escapes decoded).
  public func string(_ ref: TextRef) -> String {
    if ref.isEmpty { return "" }
    guard ref.offset + ref.length <= bytes.count else { return "\u{FFFD}" }
    return bytes.withUnsafeBufferPointer { buffer in
      JSONString.string(UnsafeBufferPointer(rebasing: buffer[ref.range]), escaped: ref.escaped)
    }
  }

  /// Calls `body` with the decoded UTF-8 bytes of a reference, without making a `String`.
  public func withUTF8<R>(_ ref: TextRef, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    guard ref.offset + ref.length <= bytes.count else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
    return bytes.withUnsafeBufferPointer { buffer in
      let raw = UnsafeBufferPointer(rebasing: buffer[ref.range])
      if !ref.escaped { return body(raw) }
      var decoded: [UInt8] = []
      JSONString.unescape(raw, into: &decoded)
      return decoded.withUnsafeBufferPointer(body)
    }
  }
}

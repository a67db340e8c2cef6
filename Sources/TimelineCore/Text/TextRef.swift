/// Where a JSON string's raw content lies in the timeline's document bytes.
///
/// Packed into one word (40 bits of offset, 23 of length, 1 flag) so that a million events' titles,
/// summaries, notes and ids cost 32 bytes an event instead of four `String`s. Text is decoded when it is
/// shown; most of a large timeline is never looked at.
public struct TextRef: Hashable, Sendable {
  @usableFromInline let bits: UInt64

  /// The longest string a document may hold (8 MiB - 1 bytes of raw JSON).
  public static let maxLength = (1 << 23) - 1
  /// The largest document offset (1 TiB); documents are far smaller in practice.
  public static let maxOffset = (1 << 40) - 1

  public static let empty = TextRef(offset: 0, length: 0, escaped: false)

  public init(offset: Int, length: Int, escaped: Bool) {
    precondition(offset >= 0 && offset <= Self.maxOffset && length >= 0 && length <= Self.maxLength)
    bits = UInt64(offset) << 24 | UInt64(length) << 1 | (escaped ? 1 : 0)
  }

  @inlinable public var offset: Int { Int(bits >> 24) }
  @inlinable public var length: Int { Int((bits >> 1) & 0x7F_FFFF) }
  /// Whether the raw content holds backslash escapes that must be decoded.
  @inlinable public var escaped: Bool { bits & 1 != 0 }
  @inlinable public var isEmpty: Bool { length == 0 }
  public var range: Range<Int> { offset..<offset + length }
}

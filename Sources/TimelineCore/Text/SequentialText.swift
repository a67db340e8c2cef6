/// Reads text references in increasing offset order with few, large reads.
final class SequentialText {
  private let document: DocumentText
  private var window: [UInt8] = []
  private var windowStart = 0

  init(document: DocumentText) {
    self.document = document
  }

  /// Calls `body` with the decoded bytes of `ref` (escapes undone).
  func bytes(_ ref: TextRef, scratch: inout [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
    // An absent field (no summary, no notes) is not read: its offset would move the window back.
    if ref.isEmpty { return body(UnsafeBufferPointer(start: nil, count: 0)) }
    guard let file = document.file else {
      document.withUTF8(ref, body)
      return
    }
    if ref.offset < windowStart || ref.offset + ref.length > windowStart + window.count {
      let size = max(4 << 20, ref.length)
      window = file.bytes(ref.offset..<ref.offset + size)
      windowStart = ref.offset
    }
    let local = ref.offset - windowStart
    guard local + ref.length <= window.count else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
    window.withUnsafeBufferPointer { w in
      let slice = UnsafeBufferPointer(rebasing: w[local..<local + ref.length])
      if !ref.escaped {
        body(slice)
      } else {
        scratch.removeAll(keepingCapacity: true)
        JSONString.unescape(slice, into: &scratch)
        scratch.withUnsafeBufferPointer(body)
      }
    }
  }
}

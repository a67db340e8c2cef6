/// Reads text references in increasing offset order with few, large reads.
final class SequentialText {
  private let document: DocumentText
  /// The bytes read last, `windowCount` of them, in one buffer reused for every read: a fresh 4 MiB
  /// array per window was zero-filled and faulted in page by page (reusing it took about 15,000 page
  /// faults off each word-index build of a 1 M-event file).
  private var window: [UInt8] = []
  private var windowCount = 0
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
    if ref.offset < windowStart || ref.offset + ref.length > windowStart + windowCount {
      let size = max(4 << 20, ref.length)
      if window.count < size { window = [UInt8](repeating: 0, count: size) }
      windowCount = window.withUnsafeMutableBytes { file.read(into: $0.baseAddress!, count: size, at: ref.offset) }
      windowStart = ref.offset
    }
    let local = ref.offset - windowStart
    guard local + ref.length <= windowCount else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
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

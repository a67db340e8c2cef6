/// A buffer that escaped strings are decoded into, reused for every one: a loading thread has one, so
/// decoding an escaped id, date or tag allocates nothing.
final class DecodeScratch {
  private var base: UnsafeMutablePointer<UInt8>
  private var capacity = 256
  private var count = 0
  /// `ByteScan.hexTable`, read once.
  let hex = ByteScan.hexTable

  init() { base = .allocate(capacity: capacity) }

  deinit { base.deallocate() }

  /// What the last `decode` gave; valid until the next.
  var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

  /// The text raw string content stands for (escapes undone), valid until the next call.
  @discardableResult
  func decode(_ raw: UnsafeBufferPointer<UInt8>, escaped: Bool) -> UnsafeBufferPointer<UInt8> {
    if JSONString.roomNeeded(raw.count) > capacity {
      base.deallocate()
      capacity = max(JSONString.roomNeeded(raw.count), capacity * 2)
      base = .allocate(capacity: capacity)
    }
    if let src = raw.baseAddress {
      if escaped {
        count = JSONString.decode(src, raw.count, into: base, hex: hex)
      } else {
        base.update(from: src, count: raw.count)
        count = raw.count
      }
    } else {
      count = 0
    }
    return bytes
  }
}

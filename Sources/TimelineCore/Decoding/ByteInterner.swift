#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Gives each distinct byte string a small integer, in order of first appearance.
///
/// The decoder meets the same few strings many times (person ids, source ids, tags) and a million event
/// ids that must be unique; the search index interns tens of millions of words. Hashing bytes straight
/// from the document, without making a `String` for each, keeps that cheap: one hash (eight bytes per
/// multiply) and, on a hit, one `memcmp`. Storage is raw memory owned by this object, because array
/// bounds and uniqueness checks were most of the cost of this loop.
///
/// Lean per key, because the word index interns millions of words (a ten-million-event file with an id
/// in every title has ten million, most met once): its bytes, a 32-bit start, a 32-bit hash and a
/// 32-bit slot in a table kept at most three-quarters full (64-bit starts and a half-full table took 23
/// bytes a key more: 200 MB of the word index's peak at ten million words). So the keys of one interner
/// hold at most 4 GiB of bytes together.
///
/// A reference type: copies share the table. Not thread-safe; each thread interns into its own.
final class ByteInterner: @unchecked Sendable {
  private var keyBytes: UnsafeMutablePointer<UInt8>
  private var keyCapacity: Int
  private(set) var keyUsed = 0
  /// `keyStarts[id]` is where key `id` starts; `keyStarts[count]` is where the next one will.
  private var keyStarts: UnsafeMutablePointer<UInt32>
  private var hashes: UnsafeMutablePointer<UInt32>
  private var idCapacity: Int
  private(set) var count = 0
  /// Open addressing; each slot holds an id + 1, or 0 when empty.
  private var slots: UnsafeMutablePointer<UInt32>
  private var mask: Int

  init(capacity: Int = 16) {
    var size = 16
    while size * 3 < capacity * 4 { size <<= 1 }
    slots = .allocate(capacity: size)
    slots.initialize(repeating: 0, count: size)
    mask = size - 1
    idCapacity = max(16, capacity)
    keyStarts = .allocate(capacity: idCapacity + 1)
    keyStarts[0] = 0
    hashes = .allocate(capacity: idCapacity)
    keyCapacity = max(256, capacity * 8)
    keyBytes = .allocate(capacity: keyCapacity)
  }

  deinit {
    slots.deallocate()
    keyStarts.deallocate()
    hashes.deallocate()
    keyBytes.deallocate()
  }

  /// The id of `key`, adding it if new; `isNew` tells which.
  @inline(__always)
  func intern(_ key: UnsafeBufferPointer<UInt8>) -> (id: Int, isNew: Bool) {
    let h = Self.hash(key)
    var i = Int(h) & mask
    while true {
      let s = slots[i]
      if s == 0 { break }
      let id = Int(s) - 1
      if hashes[id] == h && equalsKey(id, key) { return (id, false) }
      i = (i + 1) & mask
    }
    let id = count
    if id == idCapacity { growIDs() }
    if keyUsed + key.count > keyCapacity { growKeys(keyUsed + key.count) }
    if let p = key.baseAddress, key.count > 0 { (keyBytes + keyUsed).update(from: p, count: key.count) }
    keyUsed += key.count
    precondition(keyUsed <= Int(UInt32.max), "interned keys take more than 4 GiB")
    hashes[id] = h
    keyStarts[id + 1] = UInt32(keyUsed)
    count += 1
    slots[i] = UInt32(id + 1)
    if count * 4 > (mask + 1) * 3 { growSlots() }
    return (id, true)
  }

  /// The id of `key` if it was interned.
  func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
    let h = Self.hash(key)
    var i = Int(h) & mask
    while true {
      let s = slots[i]
      if s == 0 { return nil }
      let id = Int(s) - 1
      if hashes[id] == h && equalsKey(id, key) { return id }
      i = (i + 1) & mask
    }
  }

  func key(_ id: Int) -> String {
    String(decoding: UnsafeBufferPointer(start: keyBytes + Int(keyStarts[id]), count: Int(keyStarts[id + 1] - keyStarts[id])), as: UTF8.self)
  }

  /// The raw bytes of key `id`, valid until the next `intern`.
  func keyBuffer(_ id: Int) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: keyBytes + Int(keyStarts[id]), count: Int(keyStarts[id + 1] - keyStarts[id]))
  }

  @inline(__always)
  private func equalsKey(_ id: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
    let start = Int(keyStarts[id])
    let n = Int(keyStarts[id + 1]) - start
    guard n == key.count else { return false }
    if n == 0 { return true }
    return memcmp(keyBytes + start, key.baseAddress!, n) == 0
  }

  private func growIDs() {
    let bigger = idCapacity * 2
    let starts = UnsafeMutablePointer<UInt32>.allocate(capacity: bigger + 1)
    starts.update(from: keyStarts, count: count + 1)
    keyStarts.deallocate()
    keyStarts = starts
    let h = UnsafeMutablePointer<UInt32>.allocate(capacity: bigger)
    h.update(from: hashes, count: count)
    hashes.deallocate()
    hashes = h
    idCapacity = bigger
  }

  private func growKeys(_ needed: Int) {
    var bigger = keyCapacity * 2
    while bigger < needed { bigger *= 2 }
    let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
    bytes.update(from: keyBytes, count: keyUsed)
    keyBytes.deallocate()
    keyBytes = bytes
    keyCapacity = bigger
  }

  private func growSlots() {
    let size = (mask + 1) * 2
    slots.deallocate()
    slots = .allocate(capacity: size)
    slots.initialize(repeating: 0, count: size)
    mask = size - 1
    for id in 0..<count {
      var i = Int(hashes[id]) & mask
      while slots[i] != 0 { i = (i + 1) & mask }
      slots[i] = UInt32(id + 1)
    }
  }

  @inline(__always)
  static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 {
    // Eight bytes per multiply (keys are ids and words, mostly under 16 bytes), then a final mix.
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
    var i = 0
    let n = key.count
    if let p = key.baseAddress {
      while i + 8 <= n {
        h = (h ^ UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 29
        i += 8
      }
      var tail: UInt64 = 0
      var shift: UInt64 = 0
      while i < n {
        tail |= UInt64(p[i]) << shift
        shift += 8
        i += 1
      }
      h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
    }
    h ^= h >> 33
    return UInt32(truncatingIfNeeded: h)
  }
}

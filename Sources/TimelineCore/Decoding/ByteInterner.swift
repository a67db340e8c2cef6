/// Gives each distinct byte string a small integer, in order of first appearance.
///
/// The decoder meets the same few strings many times (person ids, source ids, tags) and a million event
/// ids that must be unique. Hashing bytes straight from the document, without making a `String` for
/// each, keeps that cheap: one FNV-1a hash and, on a hit, one `memcmp`.
struct ByteInterner {
  private var keyBytes: [UInt8] = []
  private var keyStarts: [Int] = [0]
  private var hashes: [UInt32] = []
  /// Open addressing; each slot holds an id + 1, or 0 when empty.
  private var slots: [Int32]
  private var mask: Int

  init(capacity: Int = 16) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = Array(repeating: 0, count: size)
    mask = size - 1
  }

  var count: Int { hashes.count }

  /// The id of `key`, adding it if new; `isNew` tells which.
  mutating func intern(_ key: UnsafeBufferPointer<UInt8>) -> (id: Int, isNew: Bool) {
    let h = Self.hash(key)
    var i = Int(h) & mask
    while true {
      let s = slots[i]
      if s == 0 { break }
      let id = Int(s) - 1
      if hashes[id] == h && equalsKey(id, key) { return (id, false) }
      i = (i + 1) & mask
    }
    let id = hashes.count
    hashes.append(h)
    keyBytes.append(contentsOf: key)
    keyStarts.append(keyBytes.count)
    slots[i] = Int32(id + 1)
    if hashes.count * 2 > slots.count { grow() }
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
    String(decoding: keyBytes[keyStarts[id]..<keyStarts[id + 1]], as: UTF8.self)
  }

  private func equalsKey(_ id: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
    let start = keyStarts[id]
    let n = keyStarts[id + 1] - start
    guard n == key.count else { return false }
    if n == 0 { return true }
    return keyBytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, key.baseAddress!, n) == 0 }
  }

  private mutating func grow() {
    let size = slots.count * 2
    slots = Array(repeating: 0, count: size)
    mask = size - 1
    for id in 0..<hashes.count {
      var i = Int(hashes[id]) & mask
      while slots[i] != 0 { i = (i + 1) & mask }
      slots[i] = Int32(id + 1)
    }
  }

  @inline(__always)
  static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 {
    var h: UInt32 = 2_166_136_261
    for b in key { h = (h ^ UInt32(b)) &* 16_777_619 }
    // Mix the high bits down: the table uses the low ones.
    h ^= h >> 15
    h = h &* 0x2C1B_3C6D
    h ^= h >> 12
    return h
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

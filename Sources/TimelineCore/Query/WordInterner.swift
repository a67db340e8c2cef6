#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Gives each distinct word of the word index a small integer, in order of first appearance: the
/// decoder's `ByteInterner` made lean for vocabularies of millions of words (a ten-million-event file
/// with an id in every title has ten million words, most of them met once).
///
/// Per word: its bytes, a 32-bit start (the index's vocabulary is addressed by 32-bit offsets anyway),
/// a 32-bit hash, and a 32-bit slot in a table kept at most three-quarters full (the decoder's, at most
/// half full with 64-bit starts, took 23 bytes a word more; at ten million words that was 200 MB of
/// the index's peak memory). Not thread-safe; each thread interns into its own.
final class WordInterner: @unchecked Sendable {
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

  /// The id of `key`, adding it if new.
  @inline(__always)
  func intern(_ key: UnsafeBufferPointer<UInt8>) -> Int {
    let h = ByteInterner.hash(key)
    var i = Int(h) & mask
    while true {
      let s = slots[i]
      if s == 0 { break }
      let id = Int(s) - 1
      if hashes[id] == h && equalsKey(id, key) { return id }
      i = (i + 1) & mask
    }
    let id = count
    if id == idCapacity { growIDs() }
    if keyUsed + key.count > keyCapacity { growKeys(keyUsed + key.count) }
    if let p = key.baseAddress, key.count > 0 { (keyBytes + keyUsed).update(from: p, count: key.count) }
    keyUsed += key.count
    precondition(keyUsed <= Int(UInt32.max), "the words of the index take more than 4 GiB")
    hashes[id] = h
    keyStarts[id + 1] = UInt32(keyUsed)
    count += 1
    slots[i] = UInt32(id + 1)
    if count * 4 > (mask + 1) * 3 { growSlots() }
    return id
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
}

import CTimelineSupport

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
/// hold at most 4 GiB of bytes together. A slot also holds the hash's bits above the table's index
/// bits (the id needs only the index bits, the table being larger than the number of keys), so that a
/// probe past another key's slot rarely reads that key's hash: a new word (most words of a large file
/// are met once) used to read a hash at random for each full slot it passed.
///
/// `intern(_:count:)` is for callers whose keys have 16 readable bytes after them (the word index's
/// folded text): a key of up to 16 bytes is hashed and compared with two loads, without loops or
/// `memcmp`. Stored keys have that room too.
///
/// A reference type: copies share the table. Not thread-safe; each thread interns into its own (so its
/// storage's accesses are not checked for exclusivity at run time: the word index's threads read the
/// table once per event, each check a call into the runtime).
final class ByteInterner: @unchecked Sendable {
  @exclusivity(unchecked) private var keyBytes: UnsafeMutablePointer<UInt8>
  @exclusivity(unchecked) private var keyCapacity: Int
  @exclusivity(unchecked) private(set) var keyUsed = 0
  /// `keyStarts[id]` is where key `id` starts; `keyStarts[count]` is where the next one will.
  @exclusivity(unchecked) private var keyStarts: UnsafeMutablePointer<UInt32>
  @exclusivity(unchecked) private var hashes: UnsafeMutablePointer<UInt32>
  @exclusivity(unchecked) private var idCapacity: Int
  @exclusivity(unchecked) private(set) var count = 0
  /// Open addressing; each slot holds an id + 1, or 0 when empty.
  @exclusivity(unchecked) private var slots: UnsafeMutablePointer<UInt32>
  @exclusivity(unchecked) private var mask: Int

  /// A table for `capacity` keys; room for `room` keys (and eight bytes each) in the keys' storage, which
  /// is `Pages` memory: resident only as it is written, so that room costs address space only and spares
  /// the storage's moves while another thread runs (see `Pages`). Every page of the storage is written
  /// before it is read (the table is zeroed, the bytes after the last key too): a page first read is
  /// the shared zero page, and the write after it a copy and a TLB flush on the other threads' cores.
  init(capacity: Int = 16, room: Int = 0) {
    var size = 16
    while size * 3 < capacity * 4 { size <<= 1 }
    slots = Pages.allocate(UInt32.self, capacity: size)
    slots.initialize(repeating: 0, count: size)
    mask = size - 1
    idCapacity = max(16, capacity, room)
    keyStarts = Pages.allocate(UInt32.self, capacity: idCapacity + 1)
    keyStarts[0] = 0
    hashes = Pages.allocate(UInt32.self, capacity: idCapacity)
    keyCapacity = max(256, capacity * 8, room * 8)
    keyBytes = Pages.allocate(UInt8.self, capacity: keyCapacity + 16)
    keyBytes.initialize(repeating: 0, count: 16)
  }

  deinit {
    Pages.free(slots, capacity: mask + 1)
    Pages.free(keyStarts, capacity: idCapacity + 1)
    Pages.free(hashes, capacity: idCapacity)
    Pages.free(keyBytes, capacity: keyCapacity + 16)
  }

  /// The id of `key`, adding it if new; `isNew` tells which.
  @inline(__always)
  func intern(_ key: UnsafeBufferPointer<UInt8>) -> (id: Int, isNew: Bool) {
    let h = Self.hash(key)
    let tag = h & ~UInt32(truncatingIfNeeded: mask)
    var i = Int(h) & mask
    while true {
      let s = slots[i]
      if s == 0 { break }
      if s & ~UInt32(truncatingIfNeeded: mask) == tag {
        let id = Int(s & UInt32(truncatingIfNeeded: mask)) - 1
        if hashes[id] == h && equalsKey(id, key) { return (id, false) }
      }
      i = (i + 1) & mask
    }
    return (add(key.baseAddress, key.count, hash: h, slot: i), true)
  }

  /// The id of the `n` bytes at `key`, adding them if new, as `intern(_:)` gives it; the 16 bytes
  /// after the key must be readable (their values do not matter).
  @inline(__always)
  func intern(_ key: UnsafePointer<UInt8>, count n: Int) -> Int { intern(key, count: n, hash: Self.hash(key, count: n)) }

  /// `intern(_:count:)` of a key whose `hash(_:count:)` is known (`h`).
  @inline(__always)
  func intern(_ key: UnsafePointer<UInt8>, count n: Int, hash h: UInt32) -> Int {
    let (id, slot) = probe(key, count: n, hash: h)
    return id ?? add(key, n, hash: h, slot: slot)
  }

  /// The id of the `n` bytes at `key` (16 readable bytes after them) whose `hash(_:count:)` is `h`, or
  /// nil when they were never interned. Only reads: several threads may call it at once while no thread
  /// interns.
  @inline(__always)
  func find(_ key: UnsafePointer<UInt8>, count n: Int, hash h: UInt32) -> Int? { probe(key, count: n, hash: h).id }

  /// The id of the `n` bytes at `key` whose hash is `h` if they are interned, and otherwise the empty
  /// slot where they would go.
  @inline(__always)
  private func probe(_ key: UnsafePointer<UInt8>, count n: Int, hash h: UInt32) -> (id: Int?, slot: Int) {
    let high = ~UInt32(truncatingIfNeeded: mask)
    let tag = h & high
    var i = Int(h) & mask
    while true {
      let s = slots[i]
      if s == 0 { return (nil, i) }
      if s & high == tag {
        let id = Int(s & ~high) - 1
        if hashes[id] == h && sameKey(id, key, n) { return (id, i) }
      }
      i = (i + 1) & mask
    }
  }

  /// `hash` of the `n` bytes at `key`, which have 16 readable bytes after them: a key of up to 16
  /// bytes in two loads.
  @inline(__always)
  static func hash(_ key: UnsafePointer<UInt8>, count n: Int) -> UInt32 {
    guard n <= 16 else { return hash(UnsafeBufferPointer(start: key, count: n)) }
    let raw = UnsafeRawPointer(key)
    return hash(low: raw.loadUnaligned(as: UInt64.self), high: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self), count: n)
  }

  /// Whether key `id` is the `n` bytes at `key` (16 readable bytes after them).
  @inline(__always)
  private func sameKey(_ id: Int, _ key: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    let start = Int(keyStarts[id])
    guard Int(keyStarts[id + 1]) - start == n else { return false }
    guard n <= 16 else { return memcmp(keyBytes + start, key, n) == 0 }
    let stored = UnsafeRawPointer(keyBytes + start)
    let given = UnsafeRawPointer(key)
    let x = stored.loadUnaligned(as: UInt64.self) ^ given.loadUnaligned(as: UInt64.self)
    let y = stored.loadUnaligned(fromByteOffset: 8, as: UInt64.self) ^ given.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
    return (x & Self.lowBytes(n)) | (n > 8 ? y & Self.lowBytes(n - 8) : 0) == 0
  }

  /// Asks for the table slot where a key of hash `h` is looked up first, ahead of the lookup.
  @inline(__always)
  func prefetch(hash h: UInt32) { timeline_prefetch(slots + (Int(h) & mask)) }

  /// Key `id`'s hash (`hash(_:)` of its bytes).
  func storedHash(_ id: Int) -> UInt32 { hashes[id] }

  /// Key `id`'s bytes (with 16 readable bytes after them), valid until the next `intern`.
  func keyStart(_ id: Int) -> UnsafePointer<UInt8> { UnsafePointer(keyBytes + Int(keyStarts[id])) }

  /// Makes the table large enough for `keys` keys, so that it is not rebuilt while they are added.
  func reserve(keys: Int) {
    var size = mask + 1
    while keys * 4 > size * 3 { size *= 2 }
    if size > mask + 1 { rebuildSlots(size: size) }
  }

  /// A mask of the low `k` bytes of a word (`k` from 0 to 8).
  @inline(__always) static func lowBytes(_ k: Int) -> UInt64 { k >= 8 ? .max : (1 << UInt64(8 * k)) &- 1 }

  /// Adds a key known to be new, whose probe ended at empty slot `i`.
  @inline(__always)
  private func add(_ key: UnsafePointer<UInt8>?, _ n: Int, hash h: UInt32, slot i: Int) -> Int {
    let id = count
    if id == idCapacity { growIDs() }
    if keyUsed + n > keyCapacity { growKeys(keyUsed + n) }
    if let key, n > 0 { (keyBytes + keyUsed).update(from: key, count: n) }
    // The 16 bytes a key's comparison may read past its end, written (see `init`).
    UnsafeMutableRawPointer(keyBytes + keyUsed + n).storeBytes(of: (UInt64(0), UInt64(0)), as: (UInt64, UInt64).self)
    keyUsed += n
    precondition(keyUsed <= Int(UInt32.max), "interned keys take more than 4 GiB")
    hashes[id] = h
    keyStarts[id + 1] = UInt32(keyUsed)
    count += 1
    slots[i] = (h & ~UInt32(truncatingIfNeeded: mask)) | UInt32(id + 1)
    if count * 4 > (mask + 1) * 3 { growSlots() }
    return id
  }

  /// The id of `key` if it was interned.
  func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
    let h = Self.hash(key)
    let tag = h & ~UInt32(truncatingIfNeeded: mask)
    var i = Int(h) & mask
    while true {
      let s = slots[i]
      if s == 0 { return nil }
      if s & ~UInt32(truncatingIfNeeded: mask) == tag {
        let id = Int(s & UInt32(truncatingIfNeeded: mask)) - 1
        if hashes[id] == h && equalsKey(id, key) { return id }
      }
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

  /// Gives back the pages of the table and of the keys' hashes (`Pages`: they read as zeros after), for a
  /// caller that from then on only reads the keys (`count`, `keyUsed`, `keyStart`, `keyBuffer`): the word
  /// index, whose two interners' tables and hashes were 12 MB of its peak at a million events while it
  /// copied their words into its vocabulary. Nothing may be looked up or interned after.
  func dropLookups() {
    timeline_pages_clear(slots, (mask + 1) * MemoryLayout<UInt32>.stride)
    timeline_pages_clear(hashes, idCapacity * MemoryLayout<UInt32>.stride)
  }

  /// Storage grows in place where it can (`Pages`: a large block is remapped, not copied, and leaves
  /// nothing behind for the allocator to keep).
  private func growIDs() {
    let bigger = idCapacity * 2
    keyStarts = Pages.resize(keyStarts, capacity: idCapacity + 1, to: bigger + 1)
    hashes = Pages.resize(hashes, capacity: idCapacity, to: bigger)
    idCapacity = bigger
  }

  private func growKeys(_ needed: Int) {
    var bigger = keyCapacity * 2
    while bigger < needed { bigger *= 2 }
    keyBytes = Pages.resize(keyBytes, capacity: keyCapacity + 16, to: bigger + 16)
    keyCapacity = bigger
  }

  private func growSlots() { rebuildSlots(size: (mask + 1) * 2) }

  private func rebuildSlots(size: Int) {
    Pages.free(slots, capacity: mask + 1)
    slots = Pages.allocate(UInt32.self, capacity: size)
    slots.initialize(repeating: 0, count: size)
    mask = size - 1
    let high = ~UInt32(truncatingIfNeeded: mask)
    for id in 0..<count {
      let h = hashes[id]
      var i = Int(h) & mask
      while slots[i] != 0 { i = (i + 1) & mask }
      slots[i] = (h & high) | UInt32(id + 1)
    }
  }

  @inline(__always)
  static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 { finish(mix(key)) }

  /// `hash` before its last mix (`finish`); the loader's 64-bit id hash finishes it its own way.
  /// Eight bytes per multiply (keys are ids and words, mostly under 16 bytes), the last few gathered
  /// into one word.
  @inline(__always)
  static func mix(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
    var i = 0
    let n = key.count
    var tail: UInt64 = 0
    if let p = key.baseAddress {
      while i + 8 <= n {
        h = (h ^ UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 29
        i += 8
      }
      var shift: UInt64 = 0
      while i < n {
        tail |= UInt64(p[i]) << shift
        shift += 8
        i += 1
      }
    }
    return (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
  }

  /// The last mix of both `hash`es. A product's low bits depend only on the factors' low bits, so
  /// after the multiply by the last eight bytes, keys that differ only above their fourth byte
  /// (`src-1` ... `src-249`) differed in the table's index bits only by what `h >> 33` brought down:
  /// a few bits of their first digit, and source ids took 12 probes a lookup on average. A second
  /// multiply and shift spread every bit over the low ones (1.6 probes).
  @inline(__always) static func finish(_ h: UInt64) -> UInt32 {
    var h = h ^ h >> 33
    h = h &* 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 32
    return UInt32(truncatingIfNeeded: h)
  }

  /// `hash` of a key of `n` bytes, at most 16, whose first eight bytes are `low` and next eight
  /// `high` (bytes past the key count for nothing).
  @inline(__always)
  static func hash(low: UInt64, high: UInt64, count n: Int) -> UInt32 { finish(mix(low: low, high: high, count: n)) }

  /// `mix` of a key of `n` bytes, at most 16, whose first eight bytes are `low` and next eight `high`.
  @inline(__always)
  static func mix(low: UInt64, high: UInt64, count n: Int) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
    var tail = low & lowBytes(n)
    if n >= 8 {
      h = (h ^ low) &* 0xFF51_AFD7_ED55_8CCD
      h ^= h >> 29
      tail = high & lowBytes(n - 8)
      if n == 16 {
        h = (h ^ high) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 29
        tail = 0
      }
    }
    return (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
  }
}

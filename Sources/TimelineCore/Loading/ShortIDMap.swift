/// The ids of up to eight bytes that a loading thread has interned (a file's person and source ids:
/// `p2541`, `src-29`), each with its number in the interner, in one table whose slot holds the id's
/// bytes as a word, its length and its number.
///
/// A person or source id is met on almost every event, and interning it (`ByteInterner`) read four
/// places at random: the slot, the key's hash, its start and its bytes, each a cache miss once the
/// file's text has gone through the cache (together about an eighth of a load's parse). A hit here
/// reads one slot, usually one cache line, and compares one word; the interner is asked only for an
/// id met for the first time (or one longer than eight bytes), and its answer is then kept here.
///
/// Open addressing, linear probing, at most three-quarters full; an empty slot has length 0. A
/// reference type, owned by one thread's batch, like the interner it stands in front of.
final class ShortIDMap: @unchecked Sendable {
  struct Slot {
    var key: UInt64 = 0
    var length: UInt32 = 0
    var id: UInt32 = 0
  }

  @exclusivity(unchecked) private var slots: UnsafeMutablePointer<Slot>
  @exclusivity(unchecked) private var mask: Int
  @exclusivity(unchecked) private var shift: UInt64
  @exclusivity(unchecked) private(set) var count = 0

  init(capacity: Int = 16) {
    var size = 16
    while size * 3 < capacity * 4 { size <<= 1 }
    slots = .allocate(capacity: size)
    slots.initialize(repeating: Slot(), count: size)
    mask = size - 1
    shift = UInt64(64 - size.trailingZeroBitCount)
  }

  deinit { slots.deallocate() }

  /// `intern(_:count:low:high:into:)` for the `n` bytes at `p`, with 16 readable bytes from `p` (its two
  /// words loaded here); an id of more than 16 bytes goes to the interner.
  @inline(__always)
  func intern(_ p: UnsafePointer<UInt8>, count n: Int, into interner: ByteInterner) -> Int {
    guard n <= 16 else { return interner.intern(p, count: n) }
    let raw = UnsafeRawPointer(p)
    return intern(p, count: n, low: raw.loadUnaligned(as: UInt64.self), high: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self), into: interner)
  }

  /// The interner's number for the `n` bytes at `p` (at most 16; 16 readable bytes from `p`), whose
  /// first eight bytes are `low` and next eight `high`, as `interner.intern(p, count: n)` gives it.
  @inline(__always)
  func intern(_ p: UnsafePointer<UInt8>, count n: Int, low: UInt64, high: UInt64, into interner: ByteInterner) -> Int {
    guard n >= 1 && n <= 8 else { return interner.intern(p, count: n, hash: ByteInterner.hash(low: low, high: high, count: n)) }
    let key = low & ByteInterner.lowBytes(n)
    var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    while true {
      let s = slots[i]
      if s.key == key && s.length == UInt32(truncatingIfNeeded: n) { return Int(s.id) }
      if s.length == 0 { break }
      i = (i + 1) & mask
    }
    return add(p, n, key: key, low: low, high: high, slot: i, into: interner)
  }

  /// Interns an id not in the table, whose probe ended at empty slot `i`, and keeps its number.
  @inline(never)
  private func add(_ p: UnsafePointer<UInt8>, _ n: Int, key: UInt64, low: UInt64, high: UInt64, slot i: Int, into interner: ByteInterner) -> Int {
    let id = interner.intern(p, count: n, hash: ByteInterner.hash(low: low, high: high, count: n))
    slots[i] = Slot(key: key, length: UInt32(truncatingIfNeeded: n), id: UInt32(truncatingIfNeeded: id))
    count += 1
    if count * 4 > (mask + 1) * 3 { grow() }
    return id
  }

  private func grow() {
    let old = slots
    let oldSize = mask + 1
    let size = oldSize * 2
    slots = .allocate(capacity: size)
    slots.initialize(repeating: Slot(), count: size)
    mask = size - 1
    shift = UInt64(64 - size.trailingZeroBitCount)
    for k in 0..<oldSize where old[k].length != 0 {
      var i = Int(truncatingIfNeeded: (old[k].key &* 0x9E37_79B9_7F4A_7C15) >> shift)
      while slots[i].length != 0 { i = (i + 1) & mask }
      slots[i] = old[k]
    }
    old.deallocate()
  }
}

import CTimelineSupport

/// The UTF-8 validating automaton: `table[byte] >> state & 63` is the next state. States are
/// multiples of 6 so that each one's next state sits in its own six bits of the row.
enum UTF8DFA {
  static let error: UInt64 = 0  // absorbing: every row has zeros in bits 0...5
  static let accept: UInt64 = 6
  static let tail1: UInt64 = 12  // one continuation byte to go
  static let tail2: UInt64 = 18
  static let tail3: UInt64 = 24
  static let afterE0: UInt64 = 30  // next in A0...BF (no overlong)
  static let afterED: UInt64 = 36  // next in 80...9F (no surrogate)
  static let afterF0: UInt64 = 42  // next in 90...BF (no overlong)
  static let afterF4: UInt64 = 48  // next in 80...8F (at most U+10FFFF)

  /// Runs the automaton over `count` bytes from `state` and returns the state after them: a file read
  /// in pieces is checked piece by piece, a character cut between two pieces included.
  ///
  /// `&>>` takes the shift from the state's low six bits, which is exactly what x86 does, so each byte
  /// costs one table load and one shift on the critical path (the other bits of the state are left
  /// as they fall; `state & 63` is the state). Blocks of sixteen ASCII bytes between characters are
  /// skipped.
  ///
  /// Where the machine has vector code for it (`timeline_utf8_valid`, x86-64 with AVX2), the bytes
  /// between the first and the last character boundary are checked by that instead, 32 at a time:
  /// the automaton took about a sixth of a load's time on text with accents in most lines. It still
  /// finishes a character the previous piece cut, checks the last few bytes, and says where a file
  /// breaks (`step`).
  static func run(_ p: UnsafePointer<UInt8>, _ count: Int, from start: UInt64) -> UInt64 {
    var state = start & 63
    var i = 0
    // A character the previous piece left unfinished.
    while i < count && state != accept && state != error {
      state = step(state, p[i])
      i += 1
    }
    if state == error { return error }
    // The last character boundary among the last four bytes (four continuation bytes in a row are an
    // error, which the automaton finds in them).
    var j = count
    while j > max(i, count - 4) {
      j -= 1
      if p[j] & 0xC0 != 0x80 { break }
    }
    if j - i >= vectorMinimum {
      switch timeline_utf8_valid(p + i, j - i) {
      case 1: i = j
      case 0: return error
      default: break
      }
    }
    return scalar(p + i, count - i, from: state)
  }

  /// Below this many bytes the vector code is not worth its call.
  static var vectorMinimum: Int { 64 }

  /// The automaton alone, for `run` and for tests comparing the two.
  static func scalar(_ p: UnsafePointer<UInt8>, _ count: Int, from start: UInt64) -> UInt64 {
    let t = rows
    var state = start
    var i = 0
    while i + 16 <= count {
      let a = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
      let b = UnsafeRawPointer(p + i + 8).loadUnaligned(as: UInt64.self)
      if (a | b) & 0x8080_8080_8080_8080 != 0 || state & 63 != accept {
        for k in 0..<16 { state = t[Int(p[i + k])] &>> state }
      }
      i += 16
    }
    while i < count {
      state = t[Int(p[i])] &>> state
      i += 1
    }
    return state & 63
  }

  /// The state after one more byte (for code that walks characters one at a time).
  @inline(__always) static func step(_ state: UInt64, _ byte: UInt8) -> UInt64 { (rows[Int(byte)] &>> state) & 63 }

  /// The table in memory that is never freed, so the hot loop reads it without `swift_once` checks
  /// or array retains.
  nonisolated(unsafe) static let rows: UnsafePointer<UInt64> = {
    let p = UnsafeMutablePointer<UInt64>.allocate(capacity: 256)
    p.initialize(from: table, count: 256)
    return UnsafePointer(p)
  }()

  static let table: [UInt64] = (0..<256).map { b -> UInt64 in
    var row: UInt64 = 0
    func on(_ state: UInt64, _ next: UInt64) { row |= next << state }
    switch b {
    case 0x00...0x7F: on(accept, accept)
    case 0x80...0xBF:
      on(tail1, accept)
      on(tail2, tail1)
      on(tail3, tail2)
      if b >= 0xA0 { on(afterE0, tail1) }
      if b <= 0x9F { on(afterED, tail1) }
      if b >= 0x90 { on(afterF0, tail2) }
      if b <= 0x8F { on(afterF4, tail2) }
    case 0xC2...0xDF: on(accept, tail1)
    case 0xE0: on(accept, afterE0)
    case 0xE1...0xEC, 0xEE...0xEF: on(accept, tail2)
    case 0xED: on(accept, afterED)
    case 0xF0: on(accept, afterF0)
    case 0xF1...0xF3: on(accept, tail3)
    case 0xF4: on(accept, afterF4)
    default: break  // C0, C1, F5...FF: error from every state
    }
    return row
  }
}

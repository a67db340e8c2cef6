/// Parses the elements of a timeline's `events` array as fast as the bytes allow, for valid files.
///
/// It assumes the common case and gives up ("anomaly") on anything else: an unknown or duplicate key,
/// a value of the wrong type, a bad date, an escaped id, a missing field. The loader then runs the
/// reference decoder (`TimelineDecoder`) over the whole file, which reports every problem with its
/// position; so this parser never needs to explain anything, and the two must agree on every valid
/// file (a property test checks that).
///
/// Work per byte is kept small: strings are scanned eight bytes at a time for a quote, a backslash, a
/// control character or a non-ASCII byte; only non-ASCII characters and escapes are looked at one by one.
enum FastEventParser {
  enum Step {
    /// One event parsed; the next element (its comma first) starts at the given position.
    case event(next: Int)
    /// The closing bracket of the array; parsing continues after it.
    case end(next: Int)
    /// The element runs past the end of the buffer: refill and parse it again from its start.
    case needMore
    /// Not the common case: let the reference decoder handle the file.
    case anomaly
  }

  /// Thrown inside an element; turned into `.needMore` or `.anomaly`.
  enum Stop: Error { case needMore, anomaly }

  /// Parses the element at `start`: whitespace, then the closing bracket, or (unless it is the
  /// array's first element) a comma and an event object.
  ///
  /// The event's row is appended only once its closing brace is read, and nothing after that can fail,
  /// so an element cut by the end of the buffer leaves no row behind (its list values are rolled back).
  /// - Parameters:
  ///   - fileOffset: where `base[0]` is in the file, for the `TextRef`s.
  ///   - atEOF: whether the buffer ends where the file ends (running out is then an anomaly).
  static func parseElement(
    _ base: UnsafePointer<UInt8>, count: Int, at start: Int, fileOffset: Int, atEOF: Bool, first: Bool,
    into batch: inout EventBatch
  ) -> Step {
    let mark = (
      batch.columns.countries.values.count, batch.columns.people.values.count, batch.columns.tags.values.count,
      batch.columns.sources.values.count
    )
    var cursor = Cursor(base: base, end: count, pos: start)
    do throws(Stop) {
      cursor.skipSpace()
      let b = try cursor.peek()
      if b == UInt8(ascii: "]") { return .end(next: cursor.pos + 1) }
      if !first {
        guard b == UInt8(ascii: ",") else { throw .anomaly }
        cursor.pos += 1
        cursor.skipSpace()
        // A comma then the bracket is a trailing comma: not JSON.
        if try cursor.peek() == UInt8(ascii: "]") { throw .anomaly }
      }
      try parseEvent(&cursor, fileOffset: fileOffset, into: &batch)
      return .event(next: cursor.pos)
    } catch {
      batch.rollBack(countries: mark.0, people: mark.1, tags: mark.2, sources: mark.3)
      switch error {
      case .needMore: return atEOF ? .anomaly : .needMore
      case .anomaly: return .anomaly
      }
    }
  }

  struct Cursor {
    let base: UnsafePointer<UInt8>
    let end: Int
    var pos: Int

    @inline(__always) mutating func skipSpace() {
      while pos < end {
        let b = base[pos]
        if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { pos += 1 } else { return }
      }
    }

    @inline(__always) func peek() throws(Stop) -> UInt8 {
      guard pos < end else { throw .needMore }
      return base[pos]
    }

    @inline(__always) mutating func expect(_ byte: UInt8) throws(Stop) {
      skipSpace()
      guard pos < end else { throw .needMore }
      guard base[pos] == byte else { throw .anomaly }
      pos += 1
    }

    /// Scans a string whose opening quote is at `pos`; returns its raw content (start, length, escaped).
    ///
    /// Eight bytes at a time until a quote, a backslash or a control character; non-ASCII bytes do not
    /// stop the scan, the string's UTF-8 is checked once its end is known (most strings in a large file
    /// mix ASCII with accents, CJK or emoji, and stopping at each of those would halve the speed).
    @inline(__always) mutating func string() throws(Stop) -> (start: Int, length: Int, escaped: Bool) {
      skipSpace()
      guard pos < end else { throw .needMore }
      guard base[pos] == UInt8(ascii: "\"") else { throw .anomaly }
      pos += 1
      let start = pos
      var escaped = false
      var high: UInt64 = 0
      while true {
        while pos + 8 <= end {
          let w = UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self)
          let quote = Self.hasZeroByte(w ^ 0x2222_2222_2222_2222)
          let backslash = Self.hasZeroByte(w ^ 0x5C5C_5C5C_5C5C_5C5C)
          let control = (w &- 0x2020_2020_2020_2020) & ~w & 0x8080_8080_8080_8080
          if quote | backslash | control != 0 { break }
          high |= w
          pos += 8
        }
        guard pos < end else { throw .needMore }
        let b = base[pos]
        if b == UInt8(ascii: "\"") {
          let length = pos - start
          pos += 1
          guard length <= TextRef.maxLength else { throw .anomaly }
          if high & 0x8080_8080_8080_8080 != 0 {
            try Self.validateUTF8(base + start, length)
          }
          return (start, length, escaped)
        }
        if b == UInt8(ascii: "\\") {
          escaped = true
          try escape()
        } else if b < 0x20 {
          throw .anomaly
        } else {
          high |= UInt64(b)
          pos += 1
        }
      }
    }

    /// Checks that `count` bytes are valid UTF-8 (no overlongs, no surrogates, at most U+10FFFF): the
    /// same rules as `JSONScanner`, run as a shift-based DFA (after Per Vognsen): one table load, a
    /// shift and a mask per byte, no branches to mispredict on text that mixes ASCII and accents.
    static func validateUTF8(_ p: UnsafePointer<UInt8>, _ count: Int) throws(Stop) {
      var state = UTF8DFA.accept
      var i = 0
      do {
        let t = UTF8DFA.rows
        // Blocks of eight: an all-ASCII block between characters is skipped, any other block runs
        // through the automaton byte by byte without a branch.
        while i + 8 <= count {
          let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
          if w & 0x8080_8080_8080_8080 != 0 || state != UTF8DFA.accept {
            state = (t[Int(p[i])] >> state) & 63
            state = (t[Int(p[i + 1])] >> state) & 63
            state = (t[Int(p[i + 2])] >> state) & 63
            state = (t[Int(p[i + 3])] >> state) & 63
            state = (t[Int(p[i + 4])] >> state) & 63
            state = (t[Int(p[i + 5])] >> state) & 63
            state = (t[Int(p[i + 6])] >> state) & 63
            state = (t[Int(p[i + 7])] >> state) & 63
          }
          i += 8
        }
        while i < count {
          state = (t[Int(p[i])] >> state) & 63
          i += 1
        }
      }
      guard state == UTF8DFA.accept else { throw .anomaly }
    }

    @inline(__always) static func hasZeroByte(_ x: UInt64) -> UInt64 {
      (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }

    private mutating func escape() throws(Stop) {
      guard pos + 1 < end else { throw .needMore }
      switch base[pos + 1] {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
        UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
        pos += 2
      case UInt8(ascii: "u"):
        guard pos + 6 <= end else { throw .needMore }
        let unit = try hex4(pos + 2)
        pos += 6
        if unit >= 0xD800 && unit <= 0xDBFF {
          guard pos + 6 <= end else { throw .needMore }
          guard base[pos] == UInt8(ascii: "\\"), base[pos + 1] == UInt8(ascii: "u") else { throw .anomaly }
          let low = try hex4(pos + 2)
          guard low >= 0xDC00 && low <= 0xDFFF else { throw .anomaly }
          pos += 6
        } else if unit >= 0xDC00 && unit <= 0xDFFF {
          throw .anomaly
        }
      default: throw .anomaly
      }
    }

    private func hex4(_ at: Int) throws(Stop) -> UInt32 {
      var v: UInt32 = 0
      for k in 0..<4 {
        let b = base[at + k]
        let d: UInt32
        switch b {
        case 0x30...0x39: d = UInt32(b - 0x30)
        case 0x61...0x66: d = UInt32(b - 0x57)
        case 0x41...0x46: d = UInt32(b - 0x37)
        default: throw .anomaly
        }
        v = v << 4 | d
      }
      return v
    }

    /// An id string: letters, digits, `._:-` (not first), at most 200 bytes, no escapes.
    @inline(__always) mutating func id() throws(Stop) -> (start: Int, length: Int) {
      skipSpace()
      guard pos < end else { throw .needMore }
      guard base[pos] == UInt8(ascii: "\"") else { throw .anomaly }
      let start = pos + 1
      var p = start
      while true {
        guard p < end else { throw .needMore }
        let b = base[p]
        if b == UInt8(ascii: "\"") { break }
        let alnum = (b &- 0x30 < 10) || ((b | 0x20) &- 0x61 < 26)
        let punct = b == 0x2E || b == 0x5F || b == 0x3A || b == 0x2D
        guard alnum || (punct && p != start) else { throw .anomaly }
        p += 1
      }
      let length = p - start
      guard length > 0 && length <= 200 else { throw .anomaly }
      pos = p + 1
      return (start, length)
    }

    /// Parses a date string in place.
    mutating func date() throws(Stop) -> TimelineDate {
      let s = try string()
      guard !s.escaped else { throw .anomaly }
      switch TimelineDate.parse(UnsafeBufferPointer(start: base + s.start, count: s.length)) {
      case .success(let d): return d
      case .failure: throw .anomaly
      }
    }

    /// Calls `body` for each element of an array of strings or ids.
    @inline(__always) mutating func array(_ body: (inout Cursor) throws(Stop) -> Void) throws(Stop) {
      try expect(UInt8(ascii: "["))
      skipSpace()
      if try peek() == UInt8(ascii: "]") {
        pos += 1
        return
      }
      while true {
        try body(&self)
        skipSpace()
        let b = try peek()
        pos += 1
        if b == UInt8(ascii: "]") { return }
        guard b == UInt8(ascii: ",") else { throw .anomaly }
      }
    }

    func bytes(_ start: Int, _ length: Int) -> UnsafeBufferPointer<UInt8> {
      UnsafeBufferPointer(start: base + start, count: length)
    }

    func equals(_ start: Int, _ length: Int, _ word: StaticString) -> Bool {
      length == word.utf8CodeUnitCount && memcmp(base + start, word.utf8Start, length) == 0
    }
  }

  /// Field numbers, as bits of a "seen" mask.
  private enum F {
    static let id = 1, date = 2, end = 4, title = 8, summary = 16, countries = 32, people = 64, tags = 128
    static let confidence = 256, sources = 512, notes = 1024
    static let required = id | date | title | confidence | sources
  }

  /// Little-endian integer of up to eight bytes, for comparing short keys without `memcmp`.
  @inline(__always) private static func word(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
    var v: UInt64 = 0
    for k in 0..<n { v |= UInt64(p[k]) << (8 * k) }
    return v
  }

  // Keys and words as little-endian integers of their first eight bytes (literals, so reading them
  // costs nothing; `static let`s would be checked for initialisation on every use).
  private static var kEnd: UInt64 { 0x646E65 }  // "end"
  private static var kDate: UInt64 { 0x65746164 }  // "date"
  private static var kTags: UInt64 { 0x73676174 }  // "tags"
  private static var kTitle: UInt64 { 0x656C746974 }  // "title"
  private static var kNotes: UInt64 { 0x7365746F6E }  // "notes"
  private static var kPeople: UInt64 { 0x656C706F6570 }  // "people"
  private static var kSummary: UInt64 { 0x7972616D6D7573 }  // "summary"
  private static var kSources: UInt64 { 0x73656372756F73 }  // "sources"
  private static var kCountries: UInt64 { 0x656972746E756F63 }  // "countrie"
  private static var kConfidence: UInt64 { 0x6E656469666E6F63 }  // "confiden"

  @inline(__always) private static func field(_ c: Cursor, _ start: Int, _ length: Int) -> Int {
    let p = c.base + start
    switch length {
    case 2: return p[0] == 0x69 && p[1] == 0x64 ? F.id : 0
    case 3: return word(p, 3) == kEnd ? F.end : 0
    case 4:
      let w = word(p, 4)
      return w == kDate ? F.date : w == kTags ? F.tags : 0
    case 5:
      let w = word(p, 5)
      return w == kTitle ? F.title : w == kNotes ? F.notes : 0
    case 6: return word(p, 6) == kPeople ? F.people : 0
    case 7:
      let w = word(p, 7)
      return w == kSummary ? F.summary : w == kSources ? F.sources : 0
    case 9: return word(p, 8) == kCountries && p[8] == UInt8(ascii: "s") ? F.countries : 0
    case 10: return word(p, 8) == kConfidence && p[8] == UInt8(ascii: "c") && p[9] == UInt8(ascii: "e") ? F.confidence : 0
    default: return 0
    }
  }

  private static var kConfirmed: UInt64 { 0x656D7269666E6F63 }  // "confirme"
  private static var kReported: UInt64 { 0x646574726F706572 }  // "reported"
  private static var kRumoured: UInt64 { 0x646572756F6D7572 }  // "rumoured"
  private static var kDisputed: UInt64 { 0x6465747570736964 }  // "disputed"

  /// Which country slots the built-in table knows (read once, not per code).
  private static let knownSlots: [Bool] = (0..<CountryTable.slotCount).map { CountryTable.builtIn.contains(slot: $0) }

  private static func parseEvent(_ c: inout Cursor, fileOffset: Int, into batch: inout EventBatch) throws(Stop) {
    let knownSlots = Self.knownSlots
    try c.expect(UInt8(ascii: "{"))
    var seen = 0
    var idRef = TextRef.empty
    var idHash: UInt64 = 0
    var date: TimelineDate?
    var endDate: TimelineDate?
    var title = TextRef.empty
    var summary = TextRef.empty
    var notes = TextRef.empty
    var confidence = Confidence.confirmed
    var sourceCount = 0
    c.skipSpace()
    if try c.peek() == UInt8(ascii: "}") { throw .anomaly }  // an empty event misses required fields
    while true {
      let key = try c.string()
      guard !key.escaped else { throw .anomaly }
      let f = field(c, key.start, key.length)
      guard f != 0, seen & f == 0 else { throw .anomaly }
      seen |= f
      try c.expect(UInt8(ascii: ":"))
      switch f {
      case F.id:
        let s = try c.id()
        idRef = TextRef(offset: fileOffset + s.start, length: s.length, escaped: false)
        idHash = hash64(c.bytes(s.start, s.length))
      case F.date: date = try c.date()
      case F.end: endDate = try c.date()
      case F.title:
        let s = try c.string()
        guard s.length > 0, !isBlank(c, s.start, s.length) else { throw .anomaly }
        // An escaped title may still be only whitespace ("\t"); decide as the reference decoder does.
        if s.escaped && JSONString.string(c.bytes(s.start, s.length), escaped: true).allSatisfy(\.isWhitespace) {
          throw .anomaly
        }
        title = TextRef(offset: fileOffset + s.start, length: s.length, escaped: s.escaped)
      case F.summary:
        let s = try c.string()
        summary = TextRef(offset: fileOffset + s.start, length: s.length, escaped: s.escaped)
      case F.notes:
        let s = try c.string()
        notes = TextRef(offset: fileOffset + s.start, length: s.length, escaped: s.escaped)
      case F.confidence:
        let s = try c.string()
        guard !s.escaped else { throw .anomaly }
        let p = c.base + s.start
        if s.length == 9 && word(p, 8) == kConfirmed && p[8] == UInt8(ascii: "d") {
          confidence = .confirmed
        } else if s.length == 8 {
          let w = word(p, 8)
          if w == kReported {
            confidence = .reported
          } else if w == kRumoured {
            confidence = .rumoured
          } else if w == kDisputed {
            confidence = .disputed
          } else {
            throw .anomaly
          }
        } else {
          throw .anomaly
        }
      case F.countries:
        try c.array { (c: inout Cursor) throws(Stop) in
          let s = try c.string()
          guard s.length == 2, !s.escaped, let slot = CountryTable.slot(c.base[s.start], c.base[s.start + 1]) else {
            throw .anomaly
          }
          if !knownSlots[slot] { batch.unknownCountrySlots.insert(slot) }
          batch.columns.countries.values.append(UInt16(slot))
        }
      case F.people:
        try c.array { (c: inout Cursor) throws(Stop) in
          let s = try c.id()
          batch.columns.people.values.append(UInt32(batch.people.intern(c.bytes(s.start, s.length)).id))
        }
      case F.tags:
        try c.array { (c: inout Cursor) throws(Stop) in
          let s = try c.string()
          guard s.length > 0, !s.escaped, !isBlank(c, s.start, s.length) else { throw .anomaly }
          batch.columns.tags.values.append(UInt32(batch.tags.intern(c.bytes(s.start, s.length)).id))
        }
      case F.sources:
        try c.array { (c: inout Cursor) throws(Stop) in
          let s = try c.id()
          batch.columns.sources.values.append(UInt32(batch.sources.intern(c.bytes(s.start, s.length)).id))
          sourceCount += 1
        }
      default: throw .anomaly
      }
      c.skipSpace()
      let b = try c.peek()
      c.pos += 1
      if b == UInt8(ascii: "}") { break }
      guard b == UInt8(ascii: ",") else { throw .anomaly }
    }
    guard seen & F.required == F.required, sourceCount > 0, let date else { throw .anomaly }
    if let endDate, endDate.upperKey < date.lowerKey { throw .anomaly }
    batch.columns.ids.append(idRef)
    batch.columns.titles.append(title)
    batch.columns.summaries.append(summary)
    batch.columns.notes.append(notes)
    batch.columns.starts.append(date)
    batch.columns.ends.append(endDate)
    batch.columns.confidences.append(confidence)
    batch.columns.fileOrder.append(UInt32(batch.columns.fileOrder.count))
    batch.columns.countries.closeList()
    batch.columns.people.closeList()
    batch.columns.tags.closeList()
    batch.columns.sources.closeList()
    batch.idHashes.append(idHash)
  }

  @inline(__always) static func isBlank(_ c: Cursor, _ start: Int, _ length: Int) -> Bool {
    for i in start..<start + length where c.base[i] != 0x20 && c.base[i] != 0x09 { return false }
    return true
  }

  /// FNV-1a, 64 bits, for event-id duplicate detection.
  @inline(__always) static func hash64(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
    return h
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

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

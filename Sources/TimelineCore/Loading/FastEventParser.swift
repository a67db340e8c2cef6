import CTimelineSupport

/// Parses the elements of a timeline's `events` array as fast as the bytes allow, for valid files.
///
/// It reads every valid event: any key order, any whitespace, escaped strings (a value is what its
/// escapes decode to, as in the reference decoder), missing optional fields, and extension keys (`x-`,
/// `x_`), whose values are skipped with their syntax checked and their nesting bounded as the reference
/// decoder bounds it. It gives up ("anomaly") only on what is not valid: an unknown or duplicate key, a
/// value of the wrong type, a bad date or id, a missing field. The loader then runs the reference decoder
/// (`TimelineDecoder`) over the whole file, which reports every problem with its position; so this parser
/// never needs to explain anything, and the two must agree on every file (property tests and the fuzzer
/// check that, and a test checks that each valid layout stays on this path).
///
/// Work per byte is kept small: the window has already checked the UTF-8 of every byte
/// (`StreamWindow`), strings are scanned sixteen bytes at a time for a quote, a backslash or a control
/// character, the usual keys are recognised from one eight-byte load (`EventField.keyBits`), and rows go
/// to raw columns (`EventBatch`). Escaped values take a slower branch that decodes them into a scratch
/// buffer.
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
      batch.countries.values.count, batch.people.values.count, batch.tags.values.count, batch.sources.values.count
    )
    var cursor = Cursor(base: base, end: count, pos: start, hex: batch.scratch.hex, keys: batch.scratch.keys)
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
    /// `ByteScan.hexTable`, for `\u` escapes.
    let hex: UnsafePointer<UInt32>
    /// `EventField.keyTable`, for keys (passed in by the loader, which reads it once per batch).
    var keys: UnsafePointer<EventField.KeySlot> = EventField.keyTable

    /// Skips whitespace. The first two bytes are looked at one by one: a one-line file has at most
    /// one space between tokens, and pays nothing more. A longer run (a pretty file's newline and
    /// indent) goes on eight bytes at a time (`FastEventParser.spaceRunEnd`).
    @inline(__always) mutating func skipSpace() {
      guard pos < end, FastEventParser.isSpace(base[pos]) else { return }
      pos += 1
      guard pos < end, FastEventParser.isSpace(base[pos]) else { return }
      pos = FastEventParser.spaceRunEnd(base, from: pos + 1, end: end)
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
    /// Eight bytes at a time to the next quote, backslash or control character (`ByteScan`); escapes
    /// are checked in place, `\u` ones by table. Non-ASCII bytes need no look here: the window checked
    /// the UTF-8 of every byte it read (`StreamWindow`), and a JSON document's non-ASCII bytes can only be
    /// inside strings.
    @inline(__always) mutating func string() throws(Stop) -> (start: Int, length: Int, escaped: Bool) {
      skipSpace()
      guard pos < end else { throw .needMore }
      guard base[pos] == UInt8(ascii: "\"") else { throw .anomaly }
      pos += 1
      let start = pos
      var escaped = false
      while true {
        while pos + 8 <= end {
          let k = ByteScan.firstStringStop(base + pos)
          pos += k
          if k < 8 { break }
        }
        guard pos < end else { throw .needMore }
        let b = base[pos]
        if b == UInt8(ascii: "\"") {
          let length = pos - start
          pos += 1
          guard length <= TextRef.maxLength else { throw .anomaly }
          return (start, length, escaped)
        }
        if b == UInt8(ascii: "\\") {
          escaped = true
          try escape()
        } else if b < 0x20 {
          throw .anomaly
        } else {
          pos += 1
        }
      }
    }

    /// A short string (an id, a date, a code, a tag), scanned as `string` scans it and, when it has
    /// escapes, decoded into `scratch` (then `scratch.bytes`). The escapes such strings usually have
    /// (`\u00XX` for an ASCII character) are decoded in the pass that finds the string's end
    /// (`DecodeScratch.decodeSimple`); any other string with escapes is scanned by `string`, then
    /// decoded.
    @inline(__always) mutating func shortString(_ scratch: DecodeScratch) throws(Stop) -> (start: Int, length: Int, escaped: Bool) {
      skipSpace()
      guard pos < end else { throw .needMore }
      guard base[pos] == UInt8(ascii: "\"") else { throw .anomaly }
      let start = pos + 1
      var p = start
      while p + 8 <= end {
        let k = ByteScan.firstStringStop(base + p)
        p += k
        if k < 8 { break }
      }
      if p < end {
        if base[p] == UInt8(ascii: "\"") {
          let length = p - start
          guard length <= TextRef.maxLength else { throw .anomaly }
          pos = p + 1
          return (start, length, false)
        }
        if base[p] == UInt8(ascii: "\\"), let n = scratch.decodeSimple(plain: base + start, p - start, rest: base + p, available: end - p) {
          pos = p + n + 1
          return (start, p + n - start, true)
        }
      }
      // The general way (which also says what is wrong, or that the buffer ran out).
      let s = try string()
      if s.escaped { scratch.decode(bytes(s.start, s.length), escaped: true) }
      return s
    }

    /// A string that is usually long (a title, a summary, notes), as `string` scans it: its end found
    /// 64 bytes at a time where the machine has vector code for it (`timeline_string_end`), each escape
    /// checked on the way. The eight-byte scan stopped at every escape, and in text with every accent
    /// written `\u00e9` there is one every few bytes. Whatever that code does not take (something
    /// wrong, a lone surrogate, the end of the buffer near) goes the way of `string`.
    @inline(__always) mutating func longString() throws(Stop) -> (start: Int, length: Int, escaped: Bool) {
      skipSpace()
      if pos + 65 <= end && base[pos] == UInt8(ascii: "\"") {
        var escaped: Int32 = 0
        let n = timeline_string_end(base + pos + 1, end - pos - 1, &escaped)
        if n >= 0 {
          guard n <= TextRef.maxLength else { throw .anomaly }
          let start = pos + 1
          pos = start + n + 1
          return (start, n, escaped != 0)
        }
      }
      return try string()
    }

    @inline(__always) private mutating func escape() throws(Stop) {
      guard pos + 1 < end else { throw .needMore }
      switch base[pos + 1] {
      case UInt8(ascii: "u"):
        guard pos + 6 <= end else { throw .needMore }
        let unit = ByteScan.hex4(base + pos + 2, hex)
        pos += 6
        if unit & 0xF800 == 0xD800 { try surrogate(unit) }
        guard unit <= 0xFFFF else { throw .anomaly }
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
        UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
        pos += 2
      default: throw .anomaly
      }
    }

    /// After a `\u` escape of a surrogate: a high one must be followed by an escaped low one.
    @inline(never) private mutating func surrogate(_ unit: UInt32) throws(Stop) {
      guard unit <= 0xDBFF else { throw .anomaly }
      guard pos + 6 <= end else { throw .needMore }
      guard base[pos] == UInt8(ascii: "\\"), base[pos + 1] == UInt8(ascii: "u") else { throw .anomaly }
      let low = ByteScan.hex4(base + pos + 2, hex)
      guard low >= 0xDC00 && low <= 0xDFFF else { throw .anomaly }
      pos += 6
    }

    /// An id string (`Rules.isValidID`); `escaped` when it is written with escapes, and then its
    /// decoded bytes are `scratch.bytes`.
    @inline(__always) mutating func id(_ scratch: DecodeScratch) throws(Stop) -> (start: Int, length: Int, escaped: Bool) {
      skipSpace()
      guard pos < end else { throw .needMore }
      guard base[pos] == UInt8(ascii: "\"") else { throw .anomaly }
      let start = pos + 1
      var p = start
      while true {
        guard p < end else { throw .needMore }
        let b = base[p]
        if b == UInt8(ascii: "\"") { break }
        if b == UInt8(ascii: "\\") { return try escapedID(scratch, start: start, backslash: p) }
        guard Rules.isIDByte(b, first: p == start) else { throw .anomaly }
        p += 1
      }
      let length = p - start
      guard length > 0 && length <= Rules.maxIDLength else { throw .anomaly }
      pos = p + 1
      return (start, length, false)
    }

    /// An id of 1 to 15 bytes written without escapes, with 16 bytes of the buffer after its opening
    /// quote: checked eight bytes at a time (`ByteScan.nonIDBytes`), and its first sixteen bytes given
    /// back, from which it is hashed and interned with no further look at it. Nil (the cursor not
    /// moved past the whitespace) for anything else: an escape, a byte no id may have, a longer id,
    /// the end of the buffer near; the caller then reads it with `id`, which says what is wrong.
    @inline(__always) mutating func plainShortID() -> (start: Int, length: Int, low: UInt64, high: UInt64)? {
      skipSpace()
      // The first byte first: an escaped id (every id, in a file whose strings are all escaped) is
      // turned away before the words are loaded and checked.
      guard pos + 17 <= end, base[pos] == UInt8(ascii: "\""), Rules.isIDByte(base[pos + 1], first: true) else { return nil }
      // The id's bytes are those before the first that no id may have, which must be the closing quote.
      guard let run = ByteScan.quotedIDRun(base + pos + 1), run.count > 0 else { return nil }
      let start = pos + 1
      pos = start + run.count + 1
      return (start, run.count, run.w0, run.w1)
    }

    /// An id of up to 16 bytes whose first character only is escaped, as `\u00XX` for a letter or
    /// digit (`"\u0070297"`, how a writer that escapes each string's first character writes an id),
    /// with 23 bytes of the buffer from its opening quote: decoded into `scratch` as `escapedID` decodes
    /// it (`DecodeScratch.leadingEscapedShortID`), its decoded bytes also given back as two words, from
    /// which it is hashed and interned as a plain one is (`plainShortID`). The cursor is moved past the
    /// closing quote; `length` is the raw content's. Nil (the cursor not moved past the whitespace) for
    /// anything else, which the caller reads with `id`.
    @inline(__always) mutating func leadingEscapedShortID(_ scratch: DecodeScratch) -> (start: Int, length: Int, count: Int, low: UInt64, high: UInt64)? {
      guard pos + 23 <= end, base[pos] == UInt8(ascii: "\""), base[pos + 1] == UInt8(ascii: "\\"),
        let v = ByteScan.escapedASCII(base + pos + 1, hex), Rules.isIDByte(v, first: true),
        let s = scratch.leadingEscapedShortID(base + pos + 1, v)
      else { return nil }
      let start = pos + 1
      pos = start + s.length + 1
      return (start, s.length, s.count, s.low, s.high)
    }

    /// The id in `interner` of the raw bytes at `start` (a string read without escapes): a key of up
    /// to 16 bytes with 16 bytes of the buffer from its start is hashed and compared from two loads
    /// (`ByteInterner.intern(_:count:)`), any other by the general way; both give the same id.
    /// Reads a person's or source's id and interns it: a plain short one from the two words
    /// `plainShortID` loaded, any other through `id` (decoded first when escaped).
    /// A plain id of up to eight bytes is found in `map` (`ShortIDMap`), which asks the interner only
    /// for one it has not met.
    @inline(__always) mutating func internID(into interner: ByteInterner, _ map: ShortIDMap, _ scratch: DecodeScratch) throws(Stop) -> Int {
      if let s = plainShortID() {
        return map.intern(base + s.start, count: s.length, low: s.low, high: s.high, into: interner)
      }
      if let s = leadingEscapedShortID(scratch) {
        return map.intern(scratch.start, count: s.count, low: s.low, high: s.high, into: interner)
      }
      let s = try id(scratch)
      return s.escaped ? scratch.intern(into: interner, map) : intern(s.start, s.length, into: interner)
    }

    @inline(__always) func intern(_ start: Int, _ length: Int, into interner: ByteInterner) -> Int {
      if length <= 16 && start + 16 <= end { return interner.intern(base + start, count: length) }
      return interner.intern(bytes(start, length)).id
    }

    /// `intern(_:_:into:)` for a tag: one of up to eight bytes found in `map` (`ShortIDMap`).
    @inline(__always) func intern(_ start: Int, _ length: Int, into interner: ByteInterner, _ map: ShortIDMap) -> Int {
      guard start + 16 <= end else { return interner.intern(bytes(start, length)).id }
      return map.intern(base + start, count: length, into: interner)
    }

    /// An id written with escapes, whose content starts at `start` and has its first backslash at
    /// `backslash` (the bytes before it checked by `id`): decoded into `scratch` and checked as it is
    /// decoded when its escapes are the usual ones (`DecodeScratch.decodeSimple`), otherwise scanned,
    /// decoded, then checked like any other.
    @inline(never) mutating func escapedID(_ scratch: DecodeScratch, start: Int, backslash: Int) throws(Stop) -> (start: Int, length: Int, escaped: Bool) {
      // Most often only the first character is escaped (`"\u0065v-12"`).
      if backslash == start, let n = scratch.leadingEscapedID(base + start, available: end - start) {
        pos = start + n + 1
        return (start, n, true)
      }
      if let n = scratch.decodeSimple(plain: base + start, backslash - start, rest: base + backslash, available: end - backslash, id: true) {
        // At least one byte (the escape's) and at most `DecodeScratch.simpleLimit`, below `Rules.maxIDLength`.
        pos = backslash + n + 1
        return (start, backslash + n - start, true)
      }
      let s = try string()
      guard Rules.isValidID(decode(s, scratch)) else { throw .anomaly }
      return (s.start, s.length, true)
    }

    /// A string's decoded bytes, in `scratch`.
    func decode(_ s: (start: Int, length: Int, escaped: Bool), _ scratch: DecodeScratch) -> UnsafeBufferPointer<UInt8> {
      scratch.decode(bytes(s.start, s.length), escaped: s.escaped)
    }

    /// Parses a date string in place (or decoded, if written with escapes). The usual forms, a plain
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with or without `~`, are read from one load and a few bytes
    /// (`FastEventParser.plainDate`); any other goes through `TimelineDate.parse`.
    mutating func date(_ scratch: DecodeScratch) throws(Stop) -> TimelineDate {
      skipSpace()
      if pos + 16 <= end && base[pos] == UInt8(ascii: "\""), let (d, n) = FastEventParser.plainDate(base + pos + 1) {
        pos += n + 2
        return d
      }
      return try escapedDate(scratch)
    }

    /// The long way for a date: one written with escapes, or in a form other than the usual ones (out
    /// of line, so that `date` stays small).
    ///
    /// A usual date whose first digit only is escaped as `\u00XX` (`"\u0031995-01-01"`, how a writer
    /// that escapes each string's first character writes it) is read in place
    /// (`FastEventParser.leadingEscapedDate`); anything else is decoded, then read by
    /// `TimelineDate.parse`.
    @inline(never) mutating func escapedDate(_ scratch: DecodeScratch) throws(Stop) -> TimelineDate {
      if pos + 22 <= end && base[pos] == UInt8(ascii: "\""), let (d, n) = FastEventParser.leadingEscapedDate(base + pos + 1, hex) {
        pos += n + 2
        return d
      }
      let s = try shortString(scratch)
      let result: Result<TimelineDate, TimelineDate.ParseError>
      if s.escaped {
        result = TimelineDate.parse(scratch.bytes)
      } else {
        result = TimelineDate.parse(bytes(s.start, s.length))
      }
      switch result {
      case .success(let d): return d
      case .failure: throw .anomaly
      }
    }

    /// Reads an array's opening bracket; false if the array is empty (its closing bracket read too).
    ///
    /// Arrays are walked with `openArray` and `nextElement` in plain loops rather than with a closure
    /// per element: the closures were not inlined, and the calls through them cost more than the work.
    @inline(__always) mutating func openArray() throws(Stop) -> Bool {
      try expect(UInt8(ascii: "["))
      skipSpace()
      if try peek() == UInt8(ascii: "]") {
        pos += 1
        return false
      }
      return true
    }

    /// After an element: true if a comma announces another, false at the closing bracket.
    @inline(__always) mutating func nextElement() throws(Stop) -> Bool {
      skipSpace()
      let b = try peek()
      pos += 1
      if b == UInt8(ascii: "]") { return false }
      guard b == UInt8(ascii: ",") else { throw .anomaly }
      return true
    }

    /// A member's key and its colon, as a field's `rawValue`, or `extensionKey` for a key starting with
    /// `x-` or `x_`.
    ///
    /// The common keys are recognised with no branch on which key it is (`EventField.keyCode`), and no
    /// scan for the quote. Any other key goes the long way: scanned as a string, decoded if it has
    /// escapes, then matched by `EventField.named`.
    ///
    /// The whitespace before the key is skipped byte by byte, not by `skipSpace`: with the call to
    /// `spaceRunEnd` in it this function was no longer inlined into `parseEvent`, which cost a one-line
    /// file 8 % more instructions in the parser than a pretty file gained.
    @inline(__always) mutating func key(_ scratch: DecodeScratch) throws(Stop) -> Int {
      while pos < end && FastEventParser.isSpace(base[pos]) { pos += 1 }
      var f = -1
      if pos + 16 <= end && base[pos] == UInt8(ascii: "\"") {
        let (code, n) = EventField.keyCode(base + pos + 1, keys)
        if code != 0 {
          f = code - 1
          pos += 1 + n
        }
      }
      if f < 0 { f = try otherKey(scratch) }
      if pos < end && base[pos] == UInt8(ascii: ":") {
        pos += 1
      } else {
        try expect(UInt8(ascii: ":"))
      }
      return f
    }

    /// The usual separator between a member and the next, a comma, at most one space or a newline and
    /// up to seven spaces, then a known key and its colon (`, "title": ` in a one-line file,
    /// `,"title":` in a minified one, `,\n      "title": ` in a pretty one), read in one go: the next
    /// key's field index, as `key` returns it, with the cursor past the colon and the one space after
    /// it. Nil, the cursor not moved, for anything else (whitespace before the comma, other whitespace
    /// after it, the closing brace, a key `EventField.keyCode` does not know, whitespace before the
    /// colon, the buffer's end near): the caller then goes the general way (`skipSpace`, the comma,
    /// `key`), which reads the same.
    @inline(__always) mutating func separatedKey() -> Int? {
      guard pos + 24 <= end else { return nil }
      let w = UnsafeRawPointer(base + pos).loadUnaligned(as: UInt32.self)
      let q: Int
      if w & 0xFF_FFFF == 0x22_202C {  // `, "`
        q = pos + 3
      } else if w & 0xFFFF == 0x222C {  // `,"`
        q = pos + 2
      } else if w & 0xFFFF == 0x0A2C {  // `,` and a newline, then up to seven spaces (a pretty file's indent)
        let x = UnsafeRawPointer(base + pos + 2).loadUnaligned(as: UInt64.self) ^ 0x2020_2020_2020_2020
        // The high bit of each byte that is not a space (as in `spaceRunEnd`); 8 when all are.
        let other = (((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x) & ByteScan.highs
        let k = other.trailingZeroBitCount >> 3
        guard k < 8, base[pos + 2 + k] == UInt8(ascii: "\"") else { return nil }
        q = pos + 3 + k
      } else {
        return nil
      }
      // A known key with its closing quote takes at most 12 bytes from `q` (at most `pos + 10`), so the
      // colon and the space after it are within the 24.
      let (code, n) = EventField.keyCode(base + q, keys)
      guard code != 0, base[q + n] == UInt8(ascii: ":") else { return nil }
      var p = q + n + 1
      if base[p] == UInt8(ascii: " ") { p += 1 }
      pos = p
      return code - 1
    }

    @inline(never) mutating func otherKey(_ scratch: DecodeScratch) throws(Stop) -> Int {
      let key = decode(try string(), scratch)
      if let field = EventField.named(key) { return field.rawValue }
      guard Rules.isExtensionKey(key) else { throw .anomaly }
      return FastEventParser.extensionKey
    }

    /// Skips any value, checking its syntax as the reference decoder's `JSONScanner.skipValue` does,
    /// with the same bound on nesting (deeper values are refused there, so they are an anomaly here).
    mutating func skipValue(depth: Int = 0) throws(Stop) {
      skipSpace()
      guard pos < end else { throw .needMore }
      if depth > JSONScanner.maxDepth { throw .anomaly }
      switch base[pos] {
      case UInt8(ascii: "\""): _ = try string()
      case UInt8(ascii: "{"):
        pos += 1
        skipSpace()
        if try peek() == UInt8(ascii: "}") {
          pos += 1
          return
        }
        while true {
          _ = try string()
          try expect(UInt8(ascii: ":"))
          try skipValue(depth: depth + 1)
          skipSpace()
          let b = try peek()
          pos += 1
          if b == UInt8(ascii: "}") { return }
          guard b == UInt8(ascii: ",") else { throw .anomaly }
        }
      case UInt8(ascii: "["):
        pos += 1
        skipSpace()
        if try peek() == UInt8(ascii: "]") {
          pos += 1
          return
        }
        while true {
          try skipValue(depth: depth + 1)
          if !(try nextElement()) { return }
        }
      case UInt8(ascii: "t"): try literal(0x6575_7274, 4)  // true
      case UInt8(ascii: "f"): try literal(0x65_736C_6166, 5)  // false
      case UInt8(ascii: "n"): try literal(0x6C6C_756E, 4)  // null
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
      default: throw .anomaly
      }
    }

    /// A literal given as its little-endian bytes.
    private mutating func literal(_ word: UInt64, _ n: Int) throws(Stop) {
      guard pos + n <= end else { throw .needMore }
      for k in 0..<n where base[pos + k] != UInt8(truncatingIfNeeded: word >> (8 * UInt64(k))) { throw .anomaly }
      pos += n
    }

    /// A number (RFC 8259's grammar). A number that reaches the end of the buffer may go on after it.
    private mutating func number() throws(Stop) {
      func digit(_ p: Int) throws(Stop) -> Bool {
        guard p < end else { throw .needMore }
        return base[p] &- UInt8(ascii: "0") < 10
      }
      if base[pos] == UInt8(ascii: "-") { pos += 1 }
      guard try digit(pos) else { throw .anomaly }
      if base[pos] == UInt8(ascii: "0") {
        pos += 1
        guard pos < end else { throw .needMore }
      } else {
        while try digit(pos) { pos += 1 }
      }
      if base[pos] == UInt8(ascii: ".") {
        pos += 1
        guard try digit(pos) else { throw .anomaly }
        while try digit(pos) { pos += 1 }
      }
      if base[pos] == UInt8(ascii: "e") || base[pos] == UInt8(ascii: "E") {
        pos += 1
        guard pos < end else { throw .needMore }
        if base[pos] == UInt8(ascii: "+") || base[pos] == UInt8(ascii: "-") { pos += 1 }
        guard try digit(pos) else { throw .anomaly }
        while try digit(pos) { pos += 1 }
      }
    }

    /// A two-letter country code string, as its slot in `CountryTable`.
    @inline(__always) mutating func countrySlot(_ scratch: DecodeScratch) throws(Stop) -> Int {
      skipSpace()
      guard pos + 4 <= end else { throw .needMore }
      if base[pos] == UInt8(ascii: "\""), base[pos + 3] == UInt8(ascii: "\""), let slot = CountryTable.slot(base[pos + 1], base[pos + 2]) {
        pos += 4
        return slot
      }
      return try escapedCountrySlot(scratch)
    }

    /// The long way for a country code: one written with escapes, decoded (out of line, so that the
    /// parser's hot loop stays small).
    ///
    /// A code whose first letter only is escaped as `\u00XX` (`"\u0054T"`, how a writer that escapes
    /// each string's first character writes it) is taken in place: the escape, a letter, the quote.
    @inline(never) mutating func escapedCountrySlot(_ scratch: DecodeScratch) throws(Stop) -> Int {
      if pos + 9 <= end && base[pos] == UInt8(ascii: "\"") && base[pos + 8] == UInt8(ascii: "\""),
        let first = ByteScan.escapedASCII(base + pos + 1, hex), let slot = CountryTable.slot(first, base[pos + 7])
      {
        pos += 9
        return slot
      }
      let s = try shortString(scratch)
      let d = scratch.bytes
      guard s.escaped, d.count == 2, let slot = CountryTable.slot(d[0], d[1]) else { throw .anomaly }
      return slot
    }

    /// A confidence string (one of four words).
    @inline(__always) mutating func confidence(_ scratch: DecodeScratch) throws(Stop) -> Confidence {
      skipSpace()
      // Every confidence word with its quotes, and what must follow in a valid file, fits in 11 bytes.
      guard pos + 11 <= end else { throw .needMore }
      guard base[pos] == UInt8(ascii: "\"") else { throw .anomaly }
      let p = base + pos + 1
      let w = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
      if let (c, length) = FastEventParser.confidence(first8: w, p[8], p[9]) {
        pos += 1 + length
        return c
      }
      return try escapedConfidence(scratch)
    }

    /// The long way for a confidence word: one written with escapes, matched from its decoded bytes (out
    /// of line, so that the parser's hot loop stays small).
    ///
    /// A word whose first letter only is escaped as `\u00XX` (`"\u0064isputed"`) is matched in place:
    /// the escape's byte and the seven letters after it make the word's first eight bytes.
    @inline(never) mutating func escapedConfidence(_ scratch: DecodeScratch) throws(Stop) -> Confidence {
      if pos + 16 <= end && base[pos] == UInt8(ascii: "\""), let first = ByteScan.escapedASCII(base + pos + 1, hex) {
        let w = UInt64(first) | UnsafeRawPointer(base + pos + 7).loadUnaligned(as: UInt64.self) << 8
        // The escape takes six bytes for the word's first letter.
        if let (c, length) = FastEventParser.confidence(first8: w, base[pos + 14], base[pos + 15]) {
          pos += 1 + length + 5
          return c
        }
      }
      let s = try shortString(scratch)
      guard s.escaped, let c = FastEventParser.confidence(named: scratch.bytes) else { throw .anomaly }
      return c
    }

    func bytes(_ start: Int, _ length: Int) -> UnsafeBufferPointer<UInt8> {
      UnsafeBufferPointer(start: base + start, count: length)
    }
  }

  /// JSON whitespace: space, newline, return, tab.
  @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

  /// Where the whitespace run that goes on at `p` ends (`p` itself if the byte there is not
  /// whitespace), for `p <= end`: eight bytes at a time to the first byte that is not a space; a
  /// newline, return or tab there is stepped over and the run goes on. The last few bytes before `end`
  /// one by one. Out of line: a pretty file calls it about twenty times an event, a one-line file
  /// never.
  @inline(never) static func spaceRunEnd(_ base: UnsafePointer<UInt8>, from p: Int, end: Int) -> Int {
    var p = p
    while p &+ 8 <= end {
      let x = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self) ^ 0x2020_2020_2020_2020
      // The high bit of each byte that is not a space (exact for every byte: no carry crosses bytes).
      let other = (((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x) & ByteScan.highs
      if other == 0 {
        p &+= 8
        continue
      }
      let bit = other.trailingZeroBitCount
      p &+= bit >> 3
      // That byte, from the word already loaded (the space xored back).
      let b = UInt8(truncatingIfNeeded: x >> UInt64(bit & 56)) ^ 0x20
      guard b == 0x0A || b == 0x0D || b == 0x09 else { return p }
      p &+= 1
    }
    while p < end && isSpace(base[p]) { p &+= 1 }
    return p
  }

  /// Field indices (`EventField.rawValue`), as `Cursor.key` returns them (computed, so each folds to a
  /// constant, and the `switch` over them is one jump through a dense table).
  private enum F {
    static var id: Int { EventField.id.rawValue }
    static var date: Int { EventField.date.rawValue }
    static var end: Int { EventField.end.rawValue }
    static var title: Int { EventField.title.rawValue }
    static var summary: Int { EventField.summary.rawValue }
    static var countries: Int { EventField.countries.rawValue }
    static var people: Int { EventField.people.rawValue }
    static var tags: Int { EventField.tags.rawValue }
    static var confidence: Int { EventField.confidence.rawValue }
    static var sources: Int { EventField.sources.rawValue }
    static var notes: Int { EventField.notes.rawValue }
  }

  /// Every field's bit of a "seen" mask (`EventField.bit`).
  private static var allFieldBits: Int { (1 << extensionKey) - 1 }

  /// The bits of the required fields (read once).
  private static let required = EventField.requiredBits

  /// What `Cursor.key` returns for an extension key: the index after the fields' (the last field's
  /// `rawValue + 1`, a constant; `allCases.count` would build an array, and a test checks the two agree).
  static var extensionKey: Int { EventField.notes.rawValue + 1 }

  // Confidence words as little-endian integers of their first eight bytes (literals, so reading them
  // costs nothing; `static let`s would be checked for initialisation on every use).
  private static var kConfirmed: UInt64 { 0x656D7269666E6F63 }  // "confirme"
  private static var kReported: UInt64 { 0x646574726F706572 }  // "reported"
  private static var kRumoured: UInt64 { 0x646572756F6D7572 }  // "rumoured"
  private static var kDisputed: UInt64 { 0x6465747570736964 }  // "disputed"

  /// The confidence word that decoded bytes spell, if they spell one.
  @inline(__always) static func confidence(named d: UnsafeBufferPointer<UInt8>) -> Confidence? {
    guard d.count == 8 || d.count == 9, let p = d.baseAddress else { return nil }
    let w = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
    let quote = UInt8(ascii: "\"")
    guard let (c, length) = confidence(first8: w, d.count == 9 ? p[8] : quote, quote), length == d.count + 1 else { return nil }
    return c
  }

  /// The confidence word whose first eight bytes are `w` and whose next two are `b8` and `b9`, and the
  /// bytes it takes with its closing quote (9, or 10 for "confirmed"); nil for anything else. The one
  /// match of the words, for the plain word, the word with its first letter escaped and a decoded one.
  @inline(__always) static func confidence(first8 w: UInt64, _ b8: UInt8, _ b9: UInt8) -> (Confidence, length: Int)? {
    let quote = UInt8(ascii: "\"")
    if w == kConfirmed && b8 == UInt8(ascii: "d") && b9 == quote { return (.confirmed, 10) }  // confirme d"
    guard b8 == quote else { return nil }
    switch w {
    case kReported: return (.reported, 9)
    case kRumoured: return (.rumoured, 9)
    case kDisputed: return (.disputed, 9)
    default: return nil
    }
  }

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
    // Where escaped keys and values are decoded.
    let scratch = batch.scratch
    c.skipSpace()
    if try c.peek() == UInt8(ascii: "}") { throw .anomaly }  // an empty event misses required fields
    var f = try c.key(scratch)
    while true {
      // The field's bit; none for an extension key (which may come any number of times).
      let bit = (1 << f) & allFieldBits
      guard seen & bit == 0 else { throw .anomaly }
      seen |= bit
      switch f {
      case F.id:
        if let s = c.plainShortID() {
          idRef = TextRef(offset: fileOffset + s.start, length: s.length, escaped: false)
          idHash = hash64(low: s.low, high: s.high, count: s.length)
        } else if let s = c.leadingEscapedShortID(scratch) {
          idRef = TextRef(offset: fileOffset + s.start, length: s.length, escaped: true)
          idHash = hash64(low: s.low, high: s.high, count: s.count)
        } else {
          let s = try c.id(scratch)
          idRef = TextRef(offset: fileOffset + s.start, length: s.length, escaped: s.escaped)
          idHash = hash64(s.escaped ? scratch.bytes : c.bytes(s.start, s.length))
        }
      case F.date: date = try c.date(scratch)
      case F.end: endDate = try c.date(scratch)
      case F.title:
        let s = try c.longString()
        // A title starting with a printable ASCII character (not a backslash) is not blank.
        if !(s.length > 0 && FastEventParser.isPrintableASCII(c.base[s.start])) {
          guard !FastEventParser.isBlank(c.bytes(s.start, s.length), escaped: s.escaped, hex: c.hex) else { throw .anomaly }
        }
        title = TextRef(offset: fileOffset + s.start, length: s.length, escaped: s.escaped)
      case F.summary:
        let s = try c.longString()
        summary = TextRef(offset: fileOffset + s.start, length: s.length, escaped: s.escaped)
      case F.notes:
        let s = try c.longString()
        notes = TextRef(offset: fileOffset + s.start, length: s.length, escaped: s.escaped)
      case F.confidence:
        confidence = try c.confidence(scratch)
      case F.countries:
        var more = try c.openArray()
        while more {
          let slot = try c.countrySlot(scratch)
          if !knownSlots[slot] { batch.unknownCountrySlots.insert(slot) }
          batch.countries.values.append(UInt16(slot))
          more = try c.nextElement()
        }
      case F.people:
        var more = try c.openArray()
        while more {
          batch.people.values.append(UInt32(try c.internID(into: batch.personIDs, batch.personMap, scratch)))
          more = try c.nextElement()
        }
      case F.tags:
        var more = try c.openArray()
        while more {
          // Decoded once: an escaped tag's decoded bytes are both checked and interned.
          let s = try c.shortString(scratch)
          let text = s.escaped ? scratch.bytes : c.bytes(s.start, s.length)
          if !(text.count > 0 && FastEventParser.isPrintableASCII(text[0])) {
            guard !Rules.isBlank(text, escaped: false) else { throw .anomaly }
          }
          batch.tags.values.append(UInt32(s.escaped ? scratch.intern(into: batch.tagNames, batch.tagMap) : c.intern(s.start, s.length, into: batch.tagNames, batch.tagMap)))
          more = try c.nextElement()
        }
      case F.sources:
        var more = try c.openArray()
        while more {
          batch.sources.values.append(UInt32(try c.internID(into: batch.sourceIDs, batch.sourceMap, scratch)))
          sourceCount += 1
          more = try c.nextElement()
        }
      case extensionKey:
        try c.skipValue()
      default: throw .anomaly
      }
      // The usual `, "key": ` in one go; anything else the general way.
      if let next = c.separatedKey() {
        f = next
        continue
      }
      c.skipSpace()
      let b = try c.peek()
      c.pos += 1
      if b == UInt8(ascii: "}") { break }
      guard b == UInt8(ascii: ",") else { throw .anomaly }
      f = try c.key(scratch)
    }
    guard seen & required == required, sourceCount > 0, let date else { throw .anomaly }
    if let endDate, Rules.endsBeforeStart(date, endDate) { throw .anomaly }
    batch.ids.append(idRef)
    batch.titles.append(title)
    batch.summaries.append(summary)
    batch.notes.append(notes)
    batch.starts.append(date)
    batch.ends.append(endDate)
    batch.confidences.append(confidence)
    batch.countries.closeList()
    batch.people.closeList()
    batch.tags.closeList()
    batch.sources.closeList()
    batch.idHashes.append(idHash)
  }

  /// A 64-bit hash of an event id's (decoded) bytes, for duplicate detection (`StreamingLoad.duplicateID`,
  /// which compares the ids of equal hashes byte for byte): eight bytes per multiply, the last few
  /// gathered into one word, then a final mix (MurmurHash3's). `hash64(low:high:count:)` gives the
  /// same value from an id's first sixteen bytes.
  @inline(__always) static func hash64(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    finish64(ByteInterner.mix(bytes))
  }

  /// `hash64` of an id of `n` bytes (at most 16) whose first eight bytes are `low` and next eight
  /// `high` (the bytes past its end count for nothing).
  @inline(__always) static func hash64(low: UInt64, high: UInt64, count n: Int) -> UInt64 {
    finish64(ByteInterner.mix(low: low, high: high, count: n))
  }

  @inline(__always) static func finish64(_ h: UInt64) -> UInt64 {
    var h = h ^ h >> 33
    h = h &* 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 33
    h = h &* 0xC4CE_B9FE_1A85_EC53
    return h ^ h >> 33
  }

  /// `Rules.isBlank` for a string that the parser has scanned (its escapes checked), out of line: one
  /// whose first character is escaped as `\u00XX` for a printable ASCII character (a space is not one)
  /// is not blank, which is known from that escape alone, without decoding.
  @inline(never) static func isBlank(_ raw: UnsafeBufferPointer<UInt8>, escaped: Bool, hex: UnsafePointer<UInt32>) -> Bool {
    if escaped && raw.count >= 6, let p = raw.baseAddress, let first = ByteScan.escapedASCII(p, hex), first &- 0x21 < 0x5E {
      return false
    }
    return Rules.isBlank(raw, escaped: escaped)
  }

  /// A printable ASCII character other than the backslash: a string starting with one is not blank.
  @inline(__always) static func isPrintableASCII(_ b: UInt8) -> Bool { b &- 0x21 < 0x5E && b != UInt8(ascii: "\\") }

  /// `plainDate` for a date whose first digit is escaped as `\u00XX`, at `p` (the string's content,
  /// with 21 bytes of the buffer from there): read from 16 bytes on the stack, the escape's byte then
  /// the 15 raw bytes after the escape. Whatever `plainDate` takes there is plain digits, dashes and `~`
  /// up to a quote, so the string is that escape then those bytes, and decodes to what `plainDate` read.
  /// The date and the length of the string's content (its closing quote's offset from `p`); nil for
  /// anything else.
  @inline(__always) static func leadingEscapedDate(_ p: UnsafePointer<UInt8>, _ hex: UnsafePointer<UInt32>) -> (TimelineDate, length: Int)? {
    guard let v = ByteScan.escapedASCII(p, hex) else { return nil }
    let raw = UnsafeRawPointer(p + 6)
    let w0 = raw.loadUnaligned(as: UInt64.self)
    let w1 = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
    let words = (UInt64(v) | w0 << 8, w0 >> 56 | w1 << 8)
    guard let (d, n) = withUnsafeBytes(of: words, { plainDate($0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }) else { return nil }
    // The decoded string starts with the escape's one byte for its six.
    return (d, n + 5)
  }

  /// A date written `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, with or without `~`, and its closing quote, in
  /// the 12 bytes at `p`: the date and its length; nil for anything else (another form, a month or day
  /// out of range), which `TimelineDate.parse` then reads or refuses. The digits and dashes of
  /// `YYYY-MM-` are checked from one load: each digit's byte xored with `0` must be at most 9, each
  /// dash's xored with `-` zero.
  @inline(__always) static func plainDate(_ p: UnsafePointer<UInt8>) -> (TimelineDate, length: Int)? {
    // "0000-00-", then per byte what takes a digit's value (0...9) or a dash's (0) to 0x10.
    let x = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self) ^ 0x2D30_302D_3030_3030
    let high = x & 0xF0F0_F0F0_F0F0_F0F0
    let over = (x &+ 0x0F06_060F_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0
    @inline(__always) func digit(_ k: UInt64) -> Int { Int(truncatingIfNeeded: x >> (8 * k)) & 0x0F }
    // The year's four digits.
    guard (high | over) & 0xFFFF_FFFF == 0 else { return nil }
    let year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)
    var month: UInt8 = 0
    var day: UInt8 = 0
    var n = 4
    // A dash and the month's two digits.
    if (high | over) & 0xFF_FFFF_0000_0000 == 0 {
      month = UInt8(truncatingIfNeeded: digit(5) * 10 + digit(6))
      guard month &- 1 < 12 else { return nil }
      n = 7
      // A dash and the day's two digits.
      if (high | over) >> 56 == 0 {
        let d0 = p[8] &- UInt8(ascii: "0"), d1 = p[9] &- UInt8(ascii: "0")
        guard d0 < 10, d1 < 10 else { return nil }
        day = d0 * 10 + d1
        guard day != 0 else { return nil }
        n = 10
      }
    }
    var approximate = false
    if p[n] == UInt8(ascii: "~") {
      approximate = true
      n += 1
    }
    guard p[n] == UInt8(ascii: "\""), let d = TimelineDate(year: year, month: month, day: day, approximate: approximate) else { return nil }
    return (d, n)
  }
}

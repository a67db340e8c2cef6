#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads CSV (RFC 4180) or TSV records from bytes in memory, knowing where every field starts.
///
/// Written here rather than taken from SwiftCSV or CSV.swift: both decode the text character by character
/// into a `String` per field and say nothing about where a field lies, while importers need the line and
/// column of each field for their messages, and a million-row spreadsheet has to load in about a second
/// (see the README's Performance section). This reader works on bytes, finds the end of a quoted field
/// with `memchr`, and hands out fields as byte ranges, so that a cell no importer looks at costs nothing.
///
/// Lenient where spreadsheets are: CRLF, LF or CR line ends, a byte-order mark, a quote inside an unquoted
/// field (kept as it is), text after a closing quote (appended, as Python's reader does), blank lines
/// (skipped). A quoted field that never closes is the one error: everything after it would be misread.
struct CSVReader {
  /// One field: where its bytes lie and whether they hold doubled quotes to undo.
  struct Field {
    /// Offsets of the field's content in the buffer (without the quotes of a quoted field).
    var start: Int
    var end: Int
    /// Whether the content holds `""` pairs, or text after a closing quote, to be cleaned by `text`.
    var needsCleaning: Bool
    /// 1-based line and byte offset of the field's first byte, for messages.
    var line: Int
    var offset: Int
  }

  struct SyntaxError: Error {
    var line: Int
    var offset: Int
    var message: String
  }

  let base: UnsafePointer<UInt8>
  let count: Int
  let delimiter: UInt8
  private(set) var pos: Int
  /// The 1-based line `pos` is on.
  private(set) var line = 1
  /// The 1-based number of the record last read (blank lines are not records).
  private(set) var record = 0
  /// The line the last record started on.
  private(set) var recordLine = 1

  /// A reader from `start` (a record's first byte; 0 skips a byte-order mark); lines and records are
  /// counted from there.
  init(_ buffer: UnsafeBufferPointer<UInt8>, delimiter: UInt8, start: Int = 0) {
    base = buffer.baseAddress ?? UnsafePointer(CSVReader.emptyByte)
    count = buffer.count
    self.delimiter = delimiter
    pos = start > 0 ? start : buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0
  }

  nonisolated(unsafe) private static let emptyByte: UnsafeMutablePointer<UInt8> = {
    let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    p.initialize(to: 0)
    return p
  }()

  var atEnd: Bool { pos >= count }

  /// Reads the next record into `fields` (emptied first); false at the end of the input.
  mutating func next(into fields: inout [Field]) throws(SyntaxError) -> Bool {
    fields.removeAll(keepingCapacity: true)
    // Blank lines are not records.
    while pos < count, base[pos] == 0x0A || base[pos] == 0x0D {
      newline()
    }
    if pos >= count { return false }
    record += 1
    recordLine = line
    while true {
      let field = try readField()
      fields.append(field)
      if pos >= count { return true }
      let b = base[pos]
      if b == delimiter {
        pos += 1
        // A delimiter at the very end of the input still opens one last, empty field.
        if pos >= count {
          fields.append(Field(start: pos, end: pos, needsCleaning: false, line: line, offset: pos))
          return true
        }
        continue
      }
      // A line end.
      newline()
      return true
    }
  }

  /// Consumes one line end (CRLF, LF or CR) at `pos`.
  @inline(__always) private mutating func newline() {
    if base[pos] == 0x0D && pos + 1 < count && base[pos + 1] == 0x0A { pos += 1 }
    pos += 1
    line += 1
  }

  @inline(__always) private mutating func readField() throws(SyntaxError) -> Field {
    let startLine = line
    let startOffset = pos
    if pos < count && base[pos] == UInt8(ascii: "\"") {
      return try readQuoted(line: startLine, offset: startOffset)
    }
    // Unquoted: up to the delimiter or a line end. Quotes inside are kept as they are. Eight bytes at a
    // time while none of them is one of those (titles and texts are long cells), then byte by byte.
    let d = delimiter
    var p = pos
    while p + 8 <= count {
      let w = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self)
      let stops = ByteScan.equal(w, d) | ByteScan.equal(w, 0x0A) | ByteScan.equal(w, 0x0D)
      if stops != 0 {
        p += stops.trailingZeroBitCount >> 3
        break
      }
      p += 8
    }
    while p < count {
      let b = base[p]
      if b == d || b == 0x0A || b == 0x0D { break }
      p += 1
    }
    pos = p
    return Field(start: startOffset, end: p, needsCleaning: false, line: startLine, offset: startOffset)
  }

  private mutating func readQuoted(line startLine: Int, offset: Int) throws(SyntaxError) -> Field {
    let contentStart = pos + 1
    var p = contentStart
    var doubled = false
    while true {
      guard let q = memchr(base + p, Int32(UInt8(ascii: "\"")), count - p) else {
        throw SyntaxError(
          line: startLine, offset: offset,
          message: "a quoted field is not closed: the file ends before its closing quote (a quote inside a quoted field is written twice: \"\")")
      }
      let quote = UnsafePointer<UInt8>(q.assumingMemoryBound(to: UInt8.self)) - base
      // Line ends inside the field still count as lines of the file.
      line += countLineEnds(from: p, to: quote)
      if quote + 1 < count && base[quote + 1] == UInt8(ascii: "\"") {
        doubled = true
        p = quote + 2
        continue
      }
      // The closing quote. Anything up to the delimiter or line end is appended to the field.
      var end = quote + 1
      let d = delimiter
      while end < count, base[end] != d, base[end] != 0x0A, base[end] != 0x0D { end += 1 }
      pos = end
      if end > quote + 1 {
        return Field(start: contentStart, end: end, needsCleaning: true, line: startLine, offset: offset)
      }
      return Field(start: contentStart, end: quote, needsCleaning: doubled, line: startLine, offset: offset)
    }
  }

  private func countLineEnds(from: Int, to: Int) -> Int {
    var n = 0
    var p = from
    while p < to, let hit = memchr(base + p, 0x0A, to - p) {
      n += 1
      p = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base + 1
    }
    // Old Mac line ends (a CR alone) count too; CRLF counted once, by its LF.
    if n == 0, memchr(base + from, 0x0D, to - from) != nil {
      for i in from..<to where base[i] == 0x0D && (i + 1 >= to || base[i + 1] != 0x0A) { n += 1 }
    }
    return n
  }

  /// The field's bytes, exactly as the file holds them between its quotes.
  func raw(_ f: Field) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: base + f.start, count: f.end - f.start)
  }

  /// The field's text: doubled quotes undone, and for a field with text after its closing quote, the
  /// quoted part followed by that text.
  func bytes(_ f: Field) -> [UInt8] {
    let r = raw(f)
    guard f.needsCleaning else { return Array(r) }
    var out: [UInt8] = []
    out.reserveCapacity(r.count)
    var i = 0
    var quoted = true
    while i < r.count {
      let b = r[i]
      if quoted && b == UInt8(ascii: "\"") {
        if i + 1 < r.count && r[i + 1] == UInt8(ascii: "\"") {
          out.append(b)
          i += 2
          continue
        }
        // The closing quote: what follows is plain text.
        quoted = false
        i += 1
        continue
      }
      out.append(b)
      i += 1
    }
    return out
  }

  func string(_ f: Field) -> String {
    f.needsCleaning ? String(decoding: bytes(f), as: UTF8.self) : String(decoding: raw(f), as: UTF8.self)
  }

  /// The field's text without white space at either end.
  func trimmedString(_ f: Field) -> String {
    f.needsCleaning ? bytes(f).withUnsafeBufferPointer(HTMLText.trimmedString) : HTMLText.trimmedString(raw(f))
  }

  /// The 1-based column, in characters, of a byte offset (counted back to its line's start).
  func column(of offset: Int) -> Int {
    var start = offset
    while start > 0, base[start - 1] != 0x0A, base[start - 1] != 0x0D { start -= 1 }
    if start == 0, count >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF { start = min(3, offset) }
    var column = 1
    for i in start..<offset where base[i] & 0xC0 != 0x80 { column += 1 }
    return column
  }
}

/// Turns the HTML that TimelineJS allows in headlines, text and captions into the plain text this
/// program shows, keeping what a reader needs: paragraphs (as blank lines), line breaks, list items, the
/// text of links (and their addresses, which importers keep as sources), decoded entities.
///
/// Not a browser: tags are read just well enough to know where blocks start and end; scripts, styles and
/// embedded frames are dropped with their content; a `<` that does not start a tag is text. Text without
/// any tag is taken as plain text, its line breaks kept (spreadsheet cells are often written that way).
/// Elements marked `data-timeline-skip` are dropped: this program's own TimelineJS export puts there what
/// it also writes in `x_` keys (sources, notes), so that reading the export back does not duplicate them.
public enum HTMLText {
  public struct Link: Hashable, Sendable {
    public var url: String
    /// The link's text, as shown; empty for a link around an image.
    public var text: String
  }

  public struct Result: Sendable {
    public var text: String
    public var links: [Link]
  }

  public static func plainText(_ html: String) -> Result {
    var copy = html
    return copy.withUTF8 { plainText($0) }
  }

  /// The plain text of `html`. Cheap when there is no markup: no tag and no `&` gives the text back.
  public static func plainText(_ html: UnsafeBufferPointer<UInt8>) -> Result {
    var out: [UInt8] = []
    let links = plainText(html, into: &out)
    return Result(text: String(decoding: out, as: UTF8.self), links: links)
  }

  /// Appends the plain text of `html` (UTF-8, without white space at either end) to `out`, and returns
  /// its links: importers write text straight into a timeline's text this way.
  static func plainText(_ html: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> [Link] {
    var hasMarkup = false
    var hasEntity = false
    // Eight bytes at a time up to the first `<` (most cells have none), then byte by byte.
    var k = 0
    if let p = html.baseAddress {
      while k + 8 <= html.count {
        let w = UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self)
        if ByteScan.equal(w, UInt8(ascii: "<")) != 0 { break }
        if ByteScan.equal(w, UInt8(ascii: "&")) != 0 { hasEntity = true }
        k += 8
      }
    }
    while k < html.count {
      let b = html[k]
      if b == UInt8(ascii: "<") { hasMarkup = true; break }
      if b == UInt8(ascii: "&") { hasEntity = true }
      k += 1
    }
    if !hasMarkup {
      if !hasEntity {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: html[trimmedRange(html)]))
        return []
      }
      let decoded = entitiesDecoded(html)
      decoded.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[trimmedRange($0)])) }
      return []
    }
    var w = Writer(out: out)
    out = []
    defer { out = w.out }
    w.out.reserveCapacity(w.out.count + html.count)
    var links: [Link] = []
    var openLinks: [(url: String, start: Int)] = []
    var i = 0
    let n = html.count
    while i < n {
      let b = html[i]
      if b == UInt8(ascii: "<"), let tag = Tag.read(html, at: i) {
        i = tag.end
        switch tag.kind {
        case .comment: continue
        case .element(let name, let closing):
          if !closing, tag.skip || skippedWithContent.contains(name) {
            i = skipElement(named: name, html, from: i, selfClosing: tag.selfClosing)
            if blockNames.contains(name) { w.breakBlock() }
            continue
          }
          switch name {
          case "br": w.breakLine()
          case "li":
            if !closing {
              w.breakLine()
              w.pendingBullet = true
            }
          case "a":
            if !closing {
              if let href = tag.href, !href.isEmpty { openLinks.append((href, w.out.count)) }
            } else if let open = openLinks.popLast() {
              links.append(Link(url: open.url, text: w.text(from: open.start)))
            }
          case "img":
            // An image inside a link stands for the link; on its own it is media, not text.
            break
          default:
            if blockNames.contains(name) { w.breakBlock() }
          }
        }
        continue
      }
      if b == UInt8(ascii: "&"), let (scalar, length) = entity(html, at: i) {
        // A non-breaking space is a space that HTML does not collapse: runs of them stay.
        if scalar == 0xA0 { w.byte(0x20) } else { w.text(scalar) }
        i += length
        continue
      }
      if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C {
        w.space()
        i += 1
        continue
      }
      // A run of ordinary bytes, copied at once; a single space between two of them is copied with them
      // (it is what the collapsed space would write).
      var j = i + 1
      while j < n {
        let c = html[j]
        if c == 0x20, j + 1 < n, !isSpecial(html[j + 1]) {
          j += 2
          continue
        }
        if isSpecial(c) { break }
        j += 1
      }
      w.run(UnsafeBufferPointer(rebasing: html[i..<j]))
      i = j
    }
    // A link never closed still counts, up to the end.
    for open in openLinks { links.append(Link(url: open.url, text: w.text(from: open.start))) }
    return links
  }

  /// The bytes of `s` without white space (ASCII or Unicode) at either end.
  static func trimmedRange(_ s: UnsafeBufferPointer<UInt8>) -> Range<Int> {
    var lo = 0
    var hi = s.count
    while lo < hi {
      let b = s[lo]
      if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
        lo += 1
      } else if mayStartSpace(b), let (scalar, length) = scalar(s, at: lo), scalar.properties.isWhitespace {
        lo += length
      } else {
        break
      }
    }
    while hi > lo {
      let b = s[hi - 1]
      if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
        hi -= 1
        continue
      }
      guard b >= 0x80 else { break }
      var start = hi - 1
      while start > lo, s[start] & 0xC0 == 0x80 { start -= 1 }
      guard mayStartSpace(s[start]), let (scalar, length) = scalar(s, at: start), start + length == hi, scalar.properties.isWhitespace else { break }
      hi = start
    }
    return lo..<hi
  }

  /// Whether a byte of 0x80 or more can start the UTF-8 of a white space character: the White_Space
  /// characters past ASCII are U+0085, U+00A0, U+1680, U+2000 to U+205F and U+3000, so only C2, E1, E2
  /// and E3 can. Texts often end in letters of other scripts or emoji; their properties go unasked.
  @inline(__always) private static func mayStartSpace(_ b: UInt8) -> Bool { b == 0xC2 || (b >= 0xE1 && b <= 0xE3) }

  /// The scalar a well-formed UTF-8 sequence at `i` encodes, and its length.
  private static func scalar(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int)? {
    let b0 = s[i]
    guard b0 < 0x80 || b0 >= 0xC0 else { return nil }
    let length = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 1
    guard i + length <= s.count, (1..<max(length, 1)).allSatisfy({ s[i + $0] & 0xC0 == 0x80 }) else { return nil }
    var v = UInt32(b0) & (length == 1 ? 0x7F : length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
    for k in 1..<max(length, 1) where k < length { v = v << 6 | UInt32(s[i + k] & 0x3F) }
    return Unicode.Scalar(v).map { ($0, length) }
  }

  /// UTF-8 text as a String without white space at either end.
  static func trimmedString(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[trimmedRange(bytes)]), as: UTF8.self)
  }

  /// Text on one line: line breaks become spaces (for titles).
  public static func singleLine(_ s: String) -> String {
    guard s.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return s }
    var out = ""
    out.reserveCapacity(s.utf8.count)
    var previousCR = false
    for ch in s.unicodeScalars {
      if ch == "\n" && previousCR {
        previousCR = false
        continue
      }
      previousCR = ch == "\r"
      out.unicodeScalars.append(ch == "\n" || ch == "\r" ? " " : ch)
    }
    return out
  }

  /// Elements that start a new paragraph (or line) when they open or close.
  static let blockNames: Set<String> = [
    "p", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd", "table", "tr",
    "section", "article", "header", "footer", "aside", "figure", "figcaption", "pre", "hr", "address", "main", "nav",
  ]
  /// Elements whose content is not text a reader sees.
  static let skippedWithContent: Set<String> = ["script", "style", "iframe", "head", "title", "template", "noscript", "object", "video", "audio", "svg"]

  /// Collapses white space as HTML does and turns blocks into blank lines, never at the start or end of
  /// what it writes (which starts at `start` in `out`).
  private struct Writer {
    var out: [UInt8]
    let start: Int
    /// 0 nothing pending, 1 a space, 2 a line break, 3 a paragraph break.
    var pending = 0
    var pendingBullet = false

    init(out: [UInt8]) {
      self.out = out
      start = out.count
    }

    mutating func space() { pending = max(pending, 1) }
    mutating func breakLine() { pending = max(pending, 2) }
    mutating func breakBlock() { pending = max(pending, 3) }

    @inline(__always) mutating func flush() {
      if out.count > start {
        switch pending {
        case 1: out.append(0x20)
        case 2: out.append(0x0A)
        case 3: out.append(contentsOf: [0x0A, 0x0A])
        default: break
        }
      }
      pending = 0
      if pendingBullet {
        out.append(contentsOf: [0xE2, 0x80, 0xA2, 0x20])  // "• "
        pendingBullet = false
      }
    }

    mutating func byte(_ b: UInt8) {
      if pending != 0 || pendingBullet { flush() }
      out.append(b)
    }

    mutating func run(_ bytes: UnsafeBufferPointer<UInt8>) {
      if pending != 0 || pendingBullet { flush() }
      out.append(contentsOf: bytes)
    }

    mutating func text(_ scalar: UInt32) {
      if pending != 0 || pendingBullet { flush() }
      HTMLText.appendUTF8(scalar, &out)
    }

    /// What was written since `position`, trimmed.
    func text(from position: Int) -> String {
      out.withUnsafeBufferPointer { HTMLText.trimmedString(UnsafeBufferPointer(rebasing: $0[min(position, $0.count)...])) }
    }
  }

  /// A tag or comment read at a `<`.
  struct Tag {
    enum Kind {
      case comment
      case element(name: String, closing: Bool)
    }
    var kind: Kind
    /// Just past the closing `>`.
    var end: Int
    var href: String?
    var selfClosing = false
    /// Whether the element carries `data-timeline-skip`.
    var skip = false

    /// Reads the tag at `start` (a `<`); nil when what follows is not a tag, so the `<` is text.
    static func read(_ s: UnsafeBufferPointer<UInt8>, at start: Int) -> Tag? {
      let n = s.count
      var i = start + 1
      guard i < n else { return nil }
      if s[i] == UInt8(ascii: "!") {
        // A comment, or a declaration such as <!DOCTYPE>: skipped.
        if i + 2 < n, s[i + 1] == UInt8(ascii: "-"), s[i + 2] == UInt8(ascii: "-") {
          var j = i + 3
          while j + 2 < n {
            if s[j] == UInt8(ascii: "-"), s[j + 1] == UInt8(ascii: "-"), s[j + 2] == UInt8(ascii: ">") { return Tag(kind: .comment, end: j + 3) }
            j += 1
          }
          return Tag(kind: .comment, end: n)
        }
        guard let close = index(of: UInt8(ascii: ">"), in: s, from: i) else { return nil }
        return Tag(kind: .comment, end: close + 1)
      }
      var closing = false
      if s[i] == UInt8(ascii: "/") {
        closing = true
        i += 1
      }
      let nameStart = i
      while i < n, isNameByte(s[i]) { i += 1 }
      guard i > nameStart, isLetter(s[nameStart]) else { return nil }
      let name = String(decoding: UnsafeBufferPointer(rebasing: s[nameStart..<i]), as: UTF8.self).lowercased()
      var tag = Tag(kind: .element(name: name, closing: closing), end: n)
      // Attributes, up to the `>` that is not inside a quoted value.
      while i < n {
        let b = s[i]
        if b == UInt8(ascii: ">") {
          tag.end = i + 1
          return tag
        }
        if b == UInt8(ascii: "/") {
          tag.selfClosing = true
          i += 1
          continue
        }
        if isSpace(b) {
          i += 1
          continue
        }
        tag.selfClosing = false
        let attrStart = i
        while i < n, !isSpace(s[i]), s[i] != UInt8(ascii: "="), s[i] != UInt8(ascii: ">"), s[i] != UInt8(ascii: "/") { i += 1 }
        let attr = String(decoding: UnsafeBufferPointer(rebasing: s[attrStart..<i]), as: UTF8.self).lowercased()
        while i < n, isSpace(s[i]) { i += 1 }
        var value: String?
        if i < n, s[i] == UInt8(ascii: "=") {
          i += 1
          while i < n, isSpace(s[i]) { i += 1 }
          if i < n, s[i] == UInt8(ascii: "\"") || s[i] == UInt8(ascii: "'") {
            let quote = s[i]
            let valueStart = i + 1
            guard let close = index(of: quote, in: s, from: valueStart) else { return nil }
            value = decodeEntities(UnsafeBufferPointer(rebasing: s[valueStart..<close]))
            i = close + 1
          } else {
            let valueStart = i
            while i < n, !isSpace(s[i]), s[i] != UInt8(ascii: ">") { i += 1 }
            value = decodeEntities(UnsafeBufferPointer(rebasing: s[valueStart..<i]))
          }
        }
        if attr == "href" { tag.href = value?.trimmingWhitespace() }
        if attr == "data-timeline-skip" { tag.skip = true }
      }
      return nil
    }
  }

  /// Skips an element's content up to its matching closing tag (nested ones of the same name counted).
  private static func skipElement(named name: String, _ s: UnsafeBufferPointer<UInt8>, from start: Int, selfClosing: Bool) -> Int {
    if selfClosing || voidElements.contains(name) { return start }
    var depth = 1
    var i = start
    while i < s.count {
      if s[i] == UInt8(ascii: "<"), let tag = Tag.read(s, at: i) {
        if case .element(let other, let closing) = tag.kind, other == name {
          if closing { depth -= 1 } else if !tag.selfClosing { depth += 1 }
          if depth == 0 { return tag.end }
        }
        i = tag.end
      } else {
        i += 1
      }
    }
    return s.count
  }

  static let voidElements: Set<String> = ["br", "img", "hr", "input", "meta", "link", "source", "embed", "param", "area", "col", "wbr", "track"]

  private static func index(of byte: UInt8, in s: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
    var i = from
    while i < s.count {
      if s[i] == byte { return i }
      i += 1
    }
    return nil
  }

  /// White space, or the start of a tag or an entity.
  @inline(__always) private static func isSpecial(_ c: UInt8) -> Bool {
    c == UInt8(ascii: "<") || c == UInt8(ascii: "&") || c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C
  }
  @inline(__always) private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }
  @inline(__always) private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") }
  @inline(__always) private static func isNameByte(_ b: UInt8) -> Bool {
    isLetter(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-") || b == UInt8(ascii: ":")
  }

  /// Entities decoded in an attribute value.
  static func decodeEntities(_ s: UnsafeBufferPointer<UInt8>) -> String {
    String(decoding: entitiesDecoded(s), as: UTF8.self)
  }

  /// The bytes with their entities decoded (and nothing else changed).
  static func entitiesDecoded(_ s: UnsafeBufferPointer<UInt8>) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(s.count)
    var i = 0
    while i < s.count {
      if s[i] == UInt8(ascii: "&"), let (scalar, length) = entity(s, at: i) {
        appendUTF8(scalar, &out)
        i += length
      } else {
        out.append(s[i])
        i += 1
      }
    }
    return out
  }

  /// The character an entity at `i` (a `&`) stands for, and its length; nil when it is not one (the `&`
  /// is then text, as browsers take `AT&T`).
  static func entity(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int)? {
    let n = s.count
    var j = i + 1
    guard j < n else { return nil }
    if s[j] == UInt8(ascii: "#") {
      j += 1
      var hex = false
      if j < n, s[j] | 0x20 == UInt8(ascii: "x") {
        hex = true
        j += 1
      }
      var value: UInt32 = 0
      let digitsStart = j
      while j < n, j - digitsStart < 8 {
        let b = s[j]
        let d: UInt32
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: d = UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: d = UInt32(b - UInt8(ascii: "A") + 10)
        default: d = 99
        }
        if d == 99 { break }
        value = value * (hex ? 16 : 10) + d
        j += 1
      }
      guard j > digitsStart else { return nil }
      if j < n, s[j] == UInt8(ascii: ";") { j += 1 }
      // Control characters and surrogates are not text: U+FFFD, as browsers do.
      let valid = value != 0 && value <= 0x10FFFF && !(0xD800...0xDFFF).contains(value) && !(value < 0x20 && value != 0x09 && value != 0x0A)
      return (valid ? value : 0xFFFD, j - i)
    }
    let nameStart = j
    while j < n, j - nameStart < 10, isLetter(s[j]) || (s[j] >= UInt8(ascii: "0") && s[j] <= UInt8(ascii: "9")) { j += 1 }
    guard j < n, s[j] == UInt8(ascii: ";"), j > nameStart else { return nil }
    let name = String(decoding: UnsafeBufferPointer(rebasing: s[nameStart..<j]), as: UTF8.self)
    guard let scalar = namedEntities[name] else { return nil }
    return (scalar, j + 1 - i)
  }

  static func appendUTF8(_ v: UInt32, _ out: inout [UInt8]) {
    guard let scalar = Unicode.Scalar(v) else {
      out.append(contentsOf: [0xEF, 0xBF, 0xBD])
      return
    }
    out.append(contentsOf: UTF8.encode(scalar)!)
  }

  /// The entities found in real timelines and the rest of Latin-1 and typography; others stay as text.
  static let namedEntities: [String: UInt32] = {
    var table: [String: UInt32] = [
      "amp": 0x26, "lt": 0x3C, "gt": 0x3E, "quot": 0x22, "apos": 0x27, "nbsp": 0xA0,
      "ndash": 0x2013, "mdash": 0x2014, "lsquo": 0x2018, "rsquo": 0x2019, "sbquo": 0x201A, "ldquo": 0x201C,
      "rdquo": 0x201D, "bdquo": 0x201E, "hellip": 0x2026, "bull": 0x2022, "middot": 0xB7, "prime": 0x2032,
      "Prime": 0x2033, "lsaquo": 0x2039, "rsaquo": 0x203A, "euro": 0x20AC, "trade": 0x2122, "dagger": 0x2020,
      "Dagger": 0x2021, "permil": 0x2030, "thinsp": 0x2009, "ensp": 0x2002, "emsp": 0x2003, "zwj": 0x200D,
      "zwnj": 0x200C, "lrm": 0x200E, "rlm": 0x200F, "minus": 0x2212, "times": 0xD7, "divide": 0xF7,
      "larr": 0x2190, "rarr": 0x2192, "uarr": 0x2191, "darr": 0x2193, "harr": 0x2194, "OElig": 0x152,
      "oelig": 0x153, "Scaron": 0x160, "scaron": 0x161, "Yuml": 0x178, "fnof": 0x192, "circ": 0x2C6, "tilde": 0x2DC,
      "alpha": 0x3B1, "beta": 0x3B2, "gamma": 0x3B3, "delta": 0x3B4, "pi": 0x3C0, "mu": 0x3BC, "Omega": 0x3A9,
      "infin": 0x221E, "ne": 0x2260, "le": 0x2264, "ge": 0x2265, "asymp": 0x2248,
    ]
    // Latin-1, U+00A1 to U+00FF, by their HTML names.
    let latin1 = [
      "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf", "laquo", "not", "shy", "reg",
      "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot", "cedil", "sup1", "ordm", "raquo",
      "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig",
      "Ccedil", "Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve",
      "Oacute", "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN",
      "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil", "egrave", "eacute", "ecirc",
      "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml",
      "divide", "oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
    ]
    for (k, name) in latin1.enumerated() { table[name] = 0xA1 + UInt32(k) }
    return table
  }()
}

/// A line of text being typed, with a cursor, edited as a shell line is (readline's keys): what the
/// prompts (`/`, `:`) and a picker's query share.
public struct LineEditor: Hashable, Sendable {
  public private(set) var text: String
  /// The cursor, in characters from the start (0...text.count).
  public private(set) var cursor: Int

  public init(_ text: String = "") {
    self.text = text
    cursor = text.count
  }

  /// Replaces the text, the cursor at its end (history recall).
  public mutating func set(_ text: String) {
    self.text = text
    cursor = text.count
  }

  public mutating func insert(_ c: Character) {
    let i = text.index(text.startIndex, offsetBy: cursor)
    let before = text.count
    text.insert(c, at: i)
    // A combining mark typed after a letter joins it: the cursor moves by what the text grew.
    cursor += text.count - before
  }

  /// Applies an editing command; returns false for commands that do not edit a line.
  @discardableResult
  public mutating func apply(_ command: Command) -> Bool {
    switch command {
    case .cursorLeft: cursor = max(0, cursor - 1)
    case .cursorRight: cursor = min(text.count, cursor + 1)
    case .lineStart: cursor = 0
    case .lineEnd: cursor = text.count
    case .deleteBackward:
      guard cursor > 0 else { return true }
      remove(cursor - 1..<cursor)
    case .deleteForward:
      guard cursor < text.count else { return true }
      remove(cursor..<cursor + 1)
    case .deleteWord:
      // As readline's Ctrl-W: the spaces before the cursor, then the word before them.
      let chars = Array(text)
      var start = cursor
      while start > 0 && chars[start - 1].isWhitespace { start -= 1 }
      while start > 0 && !chars[start - 1].isWhitespace { start -= 1 }
      remove(start..<cursor)
    case .deleteToStart: remove(0..<cursor)
    case .deleteToEnd: remove(cursor..<text.count)
    default: return false
    }
    return true
  }

  private mutating func remove(_ r: Range<Int>) {
    guard !r.isEmpty else { return }
    let lo = text.index(text.startIndex, offsetBy: r.lowerBound)
    let hi = text.index(lo, offsetBy: r.count)
    text.removeSubrange(lo..<hi)
    cursor = r.lowerBound
  }

  /// The part of the text to show in `width` columns with the cursor in view, and the cursor's column
  /// in it: the line scrolls sideways when it is longer than the room (a long query stays readable
  /// where it is being typed).
  public func visible(width: Int) -> (text: String, cursorColumn: Int) {
    guard width > 1 else { return ("", 0) }
    let chars = Array(text)
    let widths = chars.map { DisplayWidth.of(String($0)) }
    let before = widths[..<cursor].reduce(0, +)
    let total = widths.reduce(0, +)
    if total < width { return (text, before) }
    // Keep the cursor inside, a few columns from the right edge when there is text after it.
    var start = 0
    var shown = before
    let margin = min(8, width / 4)
    while shown > width - 1 - (cursor < chars.count ? margin : 0) && start < cursor {
      shown -= widths[start]
      start += 1
    }
    var out = ""
    var used = 0
    var k = start
    while k < chars.count && used + widths[k] <= width - 1 {
      out.append(chars[k])
      used += widths[k]
      k += 1
    }
    return (out, shown)
  }
}

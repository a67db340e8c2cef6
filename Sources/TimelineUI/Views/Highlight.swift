import TimelineCore

/// Drawing text with the parts a search matched marked, so a row shows why it matched.
enum Highlight {
  /// Draws `text` as `Buffer.put` does (cut with "…" to `maxWidth`), then restyles the characters in
  /// `hits` with `hitStyle` laid over the text's style. Returns the column after the text.
  @discardableResult
  static func put(
    _ text: String, hits: [Range<String.Index>], x: Int, y: Int, style: Style, hitStyle: Style, maxWidth: Int? = nil,
    into buffer: inout Buffer
  ) -> Int {
    let end = buffer.put(text, x: x, y: y, style: style, maxWidth: maxWidth)
    guard !hits.isEmpty else { return end }
    // A cut text ends in "…": highlights stop before it.
    let cut = DisplayWidth.of(text) > end - x
    let limit = cut ? end - 1 : end
    for hit in hits {
      let from = x + drawnWidth(text[..<hit.lowerBound])
      let to = min(limit, from + drawnWidth(text[hit]))
      guard to > from else { continue }
      buffer.restyle(Rect(x: from, y: y, width: to - from, height: 1), hitStyle)
    }
    return end
  }

  /// The columns `Buffer.put` gives a piece of text (control characters drawn as placeholders).
  static func drawnWidth(_ s: Substring) -> Int {
    s.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F } ? s.utf8.count : s.reduce(0) { $0 + Buffer.displayable($1).1 }
  }
}

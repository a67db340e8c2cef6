/// A terminal size in cells.
public struct Size: Hashable, Sendable, CustomStringConvertible {
  public var width: Int
  public var height: Int
  public init(width: Int, height: Int) {
    self.width = max(0, width)
    self.height = max(0, height)
  }
  public var description: String { "\(width)×\(height)" }
}

/// A rectangle of cells; origin at the top left, x to the right, y down.
public struct Rect: Hashable, Sendable {
  public var x: Int
  public var y: Int
  public var width: Int
  public var height: Int

  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = max(0, width)
    self.height = max(0, height)
  }

  public var maxX: Int { x + width }
  public var maxY: Int { y + height }
  public var isEmpty: Bool { width == 0 || height == 0 }

  public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }

  /// The rectangle shrunk by `n` cells on every side.
  public func inset(_ n: Int) -> Rect { Rect(x: x + n, y: y + n, width: width - 2 * n, height: height - 2 * n) }

  /// Splits off the top `n` rows: (top, rest).
  public func splitTop(_ n: Int) -> (Rect, Rect) {
    let h = min(max(0, n), height)
    return (Rect(x: x, y: y, width: width, height: h), Rect(x: x, y: y + h, width: width, height: height - h))
  }

  /// Splits off the bottom `n` rows: (rest, bottom).
  public func splitBottom(_ n: Int) -> (Rect, Rect) {
    let h = min(max(0, n), height)
    return (Rect(x: x, y: y, width: width, height: height - h), Rect(x: x, y: maxY - h, width: width, height: h))
  }

  /// Splits off the left `n` columns: (left, rest).
  public func splitLeft(_ n: Int) -> (Rect, Rect) {
    let w = min(max(0, n), width)
    return (Rect(x: x, y: y, width: w, height: height), Rect(x: x + w, y: y, width: width - w, height: height))
  }

  /// A rectangle of the given size centred in this one (clipped to it).
  public func centered(width w: Int, height h: Int) -> Rect {
    let cw = min(w, width)
    let ch = min(h, height)
    return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
  }
}

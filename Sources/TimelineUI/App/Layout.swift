/// Where each part of the screen goes for a terminal size; shared by `view` (to draw) and `update`
/// (page sizes, mouse hits), so both always agree.
///
/// - From 100 columns: the detail pane sits right of the list.
/// - Narrower, with 24 rows or more: the detail sits below the list.
/// - Smaller still: the list fills the body and the detail takes its place while focused (Enter).
/// - Below 40×10: nothing but a "terminal too small" notice.
public struct Layout: Hashable, Sendable {
  public static let minimumSize = Size(width: 40, height: 10)
  public static let sideBySideWidth = 100

  public enum DetailPlacement: Hashable, Sendable { case right, below, fullScreen, hidden }

  public var tooSmall: Bool
  public var header: Rect
  public var strip: Rect
  /// The list, or nothing when the timeline view shows.
  public var list: Rect
  /// The timeline view, or nothing when the list shows.
  public var lanes: Rect
  public var detail: Rect
  public var detailPlacement: DetailPlacement
  /// The separator between list and detail (a column or a row), if any.
  public var divider: Rect
  public var footer: Rect

  public init(state: AppState) {
    self.init(size: state.size, mode: state.mode, detailFocused: state.focus == .detail)
  }

  /// The time strip keeps two rows (the histogram and its axis) in the timeline view, whose eras go
  /// above its lanes at its own zoom.
  public init(size: Size, mode: ViewMode = .list, detailFocused: Bool) {
    let full = Rect(x: 0, y: 0, width: size.width, height: size.height)
    let empty = Rect(x: 0, y: 0, width: 0, height: 0)
    tooSmall = size.width < Self.minimumSize.width || size.height < Self.minimumSize.height
    if tooSmall {
      header = empty
      strip = empty
      list = empty
      lanes = empty
      detail = empty
      divider = empty
      footer = empty
      detailPlacement = .hidden
      return
    }
    var (top, rest) = full.splitTop(2)
    header = top
    // Histogram and axis, then one to three rows of eras as the height allows.
    var stripHeight = size.height >= 36 ? 5 : size.height >= 30 ? 4 : size.height >= 20 ? 3 : 0
    if mode == .lanes { stripHeight = min(stripHeight, 2) }
    (top, rest) = rest.splitTop(stripHeight)
    strip = top
    let (body, bottom) = rest.splitBottom(1)
    footer = bottom
    let main: Rect
    if size.width >= Self.sideBySideWidth {
      let listWidth = body.width * 11 / 20
      let (l, r) = body.splitLeft(listWidth)
      main = l
      let (d, dr) = r.splitLeft(1)
      divider = d
      detail = dr
      detailPlacement = .right
    } else if size.height >= 24 {
      let listHeight = max(5, body.height * 11 / 20)
      let (l, r) = body.splitTop(listHeight)
      main = l
      let (d, dr) = r.splitTop(1)
      divider = d
      detail = dr
      detailPlacement = .below
    } else if detailFocused {
      main = Rect(x: body.x, y: body.y, width: body.width, height: 0)
      divider = empty
      detail = body
      detailPlacement = .fullScreen
    } else {
      main = body
      divider = empty
      detail = empty
      detailPlacement = .hidden
    }
    // One place for the view in use; the other has none.
    lanes = mode == .lanes ? main : empty
    list = mode == .list ? main : Rect(x: main.x, y: main.y, width: main.width, height: 0)
  }
}

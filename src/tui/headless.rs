//! The backend of `mktg render`: a terminal of a fixed size that shows nothing. The frame to
//! print is the one `Terminal::draw` completes, so no third copy of the screen is kept and
//! updated cell by cell (`TestBackend`): with the terminal's own two, that was a tenth of a
//! small render's time, most of it the first touch of the memory.

use std::convert::Infallible;

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

pub struct Headless {
    size: Size,
    cursor: Position,
}

impl Headless {
    pub fn new(width: u16, height: u16) -> Headless {
        Headless { size: Size::new(width, height), cursor: Position::ORIGIN }
    }
}

impl Backend for Headless {
    type Error = Infallible;

    fn draw<'a, I>(&mut self, _content: I) -> Result<(), Infallible>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        Ok(())
    }

    fn hide_cursor(&mut self) -> Result<(), Infallible> {
        Ok(())
    }

    fn show_cursor(&mut self) -> Result<(), Infallible> {
        Ok(())
    }

    fn get_cursor_position(&mut self) -> Result<Position, Infallible> {
        Ok(self.cursor)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Infallible> {
        self.cursor = position.into();
        Ok(())
    }

    fn clear(&mut self) -> Result<(), Infallible> {
        Ok(())
    }

    fn clear_region(&mut self, _clear_type: ClearType) -> Result<(), Infallible> {
        Ok(())
    }

    fn size(&self) -> Result<Size, Infallible> {
        Ok(self.size)
    }

    fn window_size(&mut self) -> Result<WindowSize, Infallible> {
        Ok(WindowSize { columns_rows: self.size, pixels: Size::new(0, 0) })
    }

    fn flush(&mut self) -> Result<(), Infallible> {
        Ok(())
    }
}

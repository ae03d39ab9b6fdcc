//! Rendering a Reply for the terminal, as text or as the Discord payload.

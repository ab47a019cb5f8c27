"""The inspector at /_sim/ui: server-rendered, read-only pages over one portal (chosen by token), no external assets.

`views` reads a Portal into plain rows (no Flask); `charts` draws them as inline SVG; `pages` is the Flask side."""

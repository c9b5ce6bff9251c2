"""The commands of ``sheets-tool``, one module each (as csvkit keeps one per tool); each
is a thin click layer over one library function."""

-- printf's %p: the integer in hexadecimal capitals, with width, precision, zero fill and '#'.
SELECT printf('%p', 255), printf('%p', -1), printf('%p', 0), printf('%#p', 255);
SELECT printf('%10p|', 255), printf('%-10p|', 255), printf('%.6p', 255), printf('%08p', 48879);
SELECT printf('%p', 'abc'), printf('%p', 2.5), printf('%p', NULL), printf('[%p:%d]', 4096, 7);

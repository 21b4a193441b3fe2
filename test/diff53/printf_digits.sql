-- printf's %f/%e/%g and round() with SQLite 3.53's digits: its own
-- fixed-point digits of the double, rounded half up at the requested place
-- (the digit after it decides), at most 16 significant digits (26 with '!').
SELECT printf('%.2f', 1.005), printf('%.3f', 1.0005), printf('%.0f', 2.5), printf('%.0f', 0.5), printf('%.0f', 0.49999999999999994);
SELECT printf('%.20f', 0.1), printf('%.30f', 0.1), printf('%!.30f', 0.1), printf('%.17g', 0.1), printf('%.20e', 0.1), printf('%!.20e', 0.1);
SELECT printf('%g', 123456.5), printf('%.2e', 6075000000000000.0), printf('%.3g', 6075000000000000.0), printf('%.5e', 92246150000000000.0);
SELECT printf('%.15e', 70754.655225), printf('%.16g', 70754.655225), printf('%.17g', 70754.655225), printf('%.11f', 70754.655225);
SELECT printf('%!.16e', 0.3), printf('%!.17f', 0.3), printf('%!.16e', 49.47), printf('%!.15f', 49.47), printf('%!.18g', 49.47);
SELECT printf('%.3f', -0.0005), printf('%.2f', 0.004), printf('%.2f', 0.005), printf('%.2f', 0.0001), printf('%f', 1e-300), printf('%.1f', 0.05);
SELECT printf('%e', 0.0), printf('%g', 0.0), printf('%f', -0.0), printf('%.0e', 5e-324), printf('%g', 1.7976931348623157e308), printf('%.3e', 9.9995);
SELECT printf('%5.1e|%-10.3g|%+.2f|%,.2f|%#.3g|%#g|%010.3f', 12345.678, 0.000123456, 1e20, 1234567.891, 1.0, 2.0, -3.14159);
SELECT printf('%.1f', 1e20), printf('%.2f', 123456789012345678.0), printf('%g', 1e16), printf('%g', 1e-5), printf('%G', 1e-5), printf('%E', 12.5);
SELECT round(1.005, 2), round(2.675, 2), round(-174.03951596528546, 14), round(0.5), round(-0.5), round(2.5), round(1.15, 1), round(0.1 + 0.2, 15);
SELECT round(123.456, 30), round(1e-20, 5), round(0.00049, 3), round(0.0005, 3), round(-0.0005, 3), round(4503599627370495.5), round(9007199254740993.0, 2);
SELECT round(0.285, 2), round(1.0000000000000002, 15), round(1.0000000000000002, 16), round(99.9999999999999, 13), round(5e-324, 3), round(1e300, 3);
SELECT strftime('%f', '2024-01-01 12:34:56.7895'), strftime('%f', '2024-01-01 12:34:05.0005');

-- %c always, and %s %z %q %Q %w with the '!' flag, count width and
-- precision in characters rather than bytes.
SELECT printf('(%8c)', char(11106)), printf('(%-8c)', char(11106)), printf('(%5.3c)', char(1492));
SELECT printf('(%-5.3c)', char(1492)), printf('(%3.3c)', char(1492)), printf('(%2c)', char(1513)), printf('(%-2c)', char(1513));
SELECT printf('(%!.3s)', 'הנה מה־טוב'), printf('(%.6s)', 'הנה מה־טוב'), printf('(%!5.3s)', 'הנה מה־טוב'), printf('(%8.6s)', 'הנה מה־טוב');
SELECT printf('(%!-5.3s)', 'הנה מה־טוב'), printf('(%!5.3q)', 'הנה מה־טוב'), printf('(%!5.3Q)', 'הנה מה־טוב'), printf('(%!.2w)', 'ééé');
SELECT printf('(%!5s)', 'ééé'), printf('(%5s)', 'ééé'), printf('(%!-5s)', 'ééé'), printf('(%!5z)', 'ab');
SELECT printf('[%c]', 'xyz'), printf('[%4c]', 'é'), printf('[%-4.2c]', 'é'), length(printf('%c', ''));
-- format()/printf() with no arguments are NULL; %n prints nothing and takes no argument.
SELECT quote(format()), quote(printf()), quote(format(NULL, 1, 2, 3)), format('%d-%s', 5, 'x');
SELECT printf('(%s)-%n-(%s)', 1, 2, 3), printf('%n');

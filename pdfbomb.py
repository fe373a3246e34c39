import sys, zlib; sys.path.insert(0,'/tmp/att-audit')
from mk import make
def bomb(pages, chars):
    content = b'BT /F1 1 Tf 0 0 Td (' + b'a' * chars + b') Tj ET'
    comp = zlib.compress(content, 9)
    objs = {1: b'<< /Type /Catalog /Pages 2 0 R >>', 3: b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
            4: b'<< /Length %d /Filter /FlateDecode >>\nstream\n' % len(comp) + comp + b'\nendstream'}
    kids = []
    for i in range(pages):
        n = 5 + i; kids.append(n)
        objs[n] = b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>'
    objs[2] = b'<< /Type /Pages /Kids [' + b' '.join(b'%d 0 R' % k for k in kids) + b'] /Count %d >>' % pages
    out = bytearray(b'%PDF-1.4\n'); off = {}
    for n in sorted(objs):
        off[n] = len(out); out += b'%d 0 obj\n' % n + objs[n] + b'\nendobj\n'
    x = len(out); size = max(objs) + 1
    out += b'xref\n0 %d\n0000000000 65535 f \n' % size + b''.join(b'%010d 00000 n \n' % off[n] for n in range(1, size))
    out += b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (size, x)
    return bytes(out)
pages, chars = int(sys.argv[2]), int(sys.argv[3])
make(sys.argv[1], '  - title: Bomb\n    file: bilagor/bomb.pdf\n', {4: '(Bilaga 1)'}, files={'bilagor/bomb.pdf': bomb(pages, chars)})

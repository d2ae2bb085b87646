"""Writes data/wine.csv, data/breast-cancer.csv and data/digits.csv.gz from the copies that ship with
scikit-learn (Debian package python3-sklearn 1.2.1), adding a header with the feature names and a label
column. Run with /usr/bin/python3 from the repository root. The C# loaders read these files; the
script is not needed to use them."""
import csv, gzip, io
from sklearn import datasets

def write(path, bunch, label_name, opener=open):
    with opener(path, "wt", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(list(bunch.feature_names) + [label_name])
        for row, y in zip(bunch.data, bunch.target):
            w.writerow([("%d" % v) if float(v).is_integer() else repr(float(v)) for v in row] + [int(y)])

write("data/wine.csv", datasets.load_wine(), "class")
write("data/breast-cancer.csv", datasets.load_breast_cancer(), "class")
digits = datasets.load_digits()
digits.feature_names = ["pixel_%d_%d" % (i // 8, i % 8) for i in range(64)]
write("data/digits.csv.gz", digits, "digit", opener=lambda p, m, newline: io.TextIOWrapper(gzip.GzipFile(p, "wb", mtime=0), newline=newline))

from django.dispatch import Signal

#: Sent after bulk writes (imports) that bypass the models' save(), so that whoever keeps
#: derived copies of the directory, such as the public page cache, can refresh them.
directory_changed = Signal()

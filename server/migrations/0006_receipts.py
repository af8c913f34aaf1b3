from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('snug', '0005_feed_token')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Receipt',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('snug.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='receipts', on_delete=OnDelete.CASCADE)),
                ('actor', fields.CharField(max_length=40)),
                ('key', fields.CharField(max_length=64)),
                ('fingerprint', fields.CharField(max_length=64)),
                ('answer', fields.TextField(unique=False)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'receipt', 'app': 'snug', 'unique_together': (('event', 'actor', 'key'),), 'pk_attr': 'id', 'table_description': "The answer a keyed write got, so that sending it again doesn't do it twice."},
            bases=['Model'],
        ),
    ]

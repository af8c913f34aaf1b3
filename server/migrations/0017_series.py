from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('snug', '0016_webhooks')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Series',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'series', 'app': 'snug', 'pk_attr': 'id', 'table_description': 'Events run again one from another, which the series page lists by date.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Event',
            name='series',
            field=fields.ForeignKeyField('snug.Series', source_field='series_id', null=True, db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.SET_NULL),
        ),
    ]

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('snug', '0011_event_languages')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Pitch',
            name='language',
            field=fields.CharField(max_length=9, default='', db_default=''),
        ),
    ]
